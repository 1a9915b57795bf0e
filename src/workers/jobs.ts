/**
 * One job per API call: the worker's half of api/job.ts. A job owns cancellation (the page sends
 * `cancel(jobId)`, long work polls `isCancelled()` between steps), progress, and the changes the call
 * made, which go back with its result and out to the other tabs when it ends, failed or not.
 */
import { sameChange, type Change, type ChangeScope } from '../api/changes';

export interface Job<P = never> {
  isCancelled(): boolean;
  progress(progress: P): void;
  /** Records a write; announced once, when the job ends. */
  changed(scope: ChangeScope, projectId?: string | null): void;
}

/** For a service called without a job (tests, or one service calling another's helper). */
export const NO_JOB: Job<never> = { isCancelled: () => false, progress: () => undefined, changed: () => undefined };

export class Jobs {
  #cancelled = new Set<string>();

  cancel(jobId: string): void {
    this.#cancelled.add(jobId);
  }

  /** Runs `work` as a job; resolves to its value or error with the changes it made. */
  async run<P, R>(
    jobId: string | null,
    onProgress: ((progress: P) => void) | undefined,
    work: (job: Job<P>) => Promise<R>,
  ): Promise<{ value: R; changes: Change[] } | { error: unknown; changes: Change[] }> {
    const changes: Change[] = [];
    const job: Job<P> = {
      isCancelled: () => jobId !== null && this.#cancelled.has(jobId),
      progress: (progress) => onProgress?.(progress),
      changed: (scope, projectId = null) => {
        const change = { scope, projectId };
        if (!changes.some((c) => sameChange(c, change))) changes.push(change);
      },
    };
    try {
      return { value: await work(job), changes };
    } catch (error) {
      return { error, changes };
    } finally {
      if (jobId !== null) this.#cancelled.delete(jobId);
    }
  }
}
