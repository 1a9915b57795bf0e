/**
 * Cancellation across the worker boundary: AbortSignal cannot be cloned, so the client sends
 * `cancel(jobId)` and long jobs poll `isCancelled()` between steps.
 */
export class Jobs {
  #cancelled = new Set<string>();

  cancel(jobId: string): void {
    this.#cancelled.add(jobId);
  }

  token(jobId: string | null): { isCancelled: () => boolean; done: () => void } {
    return {
      isCancelled: () => jobId !== null && this.#cancelled.has(jobId),
      done: () => {
        if (jobId !== null) this.#cancelled.delete(jobId);
      },
    };
  }
}
