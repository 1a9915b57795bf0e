/**
 * Turns services into the worker's API: every operation is `(args, jobId, onProgress)` on the wire
 * and answers an Outcome (api/job.ts). The job wrapper (jobs.ts) owns cancellation and the changes;
 * this file owns what crosses: errors as plain data, files and pixels by transfer.
 */
import { transfer } from 'comlink';
import type { Change } from '../api/changes';
import type { Outcome, WireError } from '../api/job';
import { messageOfError } from '../api/user-message';
import type { Job, Jobs } from './jobs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any service, whatever its types
export type Service = (args: any, job: Job<any>) => Promise<unknown>;

export type Wire<S> = S extends (args: infer A, job: Job<infer P>) => Promise<infer R>
  ? (args: A, jobId?: string | null, onProgress?: (progress: P) => void) => Promise<Outcome<R>>
  : never;

const handedOver = new WeakMap<object, Transferable[]>();

/** Marks a result whose buffers go to the page without a copy (the worker must not use them again). */
export function handOver<T extends object>(value: T, transferables: Transferable[]): T {
  handedOver.set(value, transferables);
  return value;
}

export function wireOperations<S extends Record<string, Service>>(
  services: S,
  jobs: Jobs,
  broadcast: (changes: Change[]) => void,
): { [K in keyof S]: Wire<S[K]> } {
  const wired = Object.entries(services).map(([name, service]) => [
    name,
    async (args: unknown, jobId: string | null = null, onProgress?: (progress: unknown) => void) => {
      const result = await jobs.run(jobId, onProgress, (job) => service(args, job));
      if (result.changes.length) broadcast(result.changes);
      if ('error' in result)
        return { ok: false, error: wireError(result.error), changes: result.changes } satisfies Outcome<never>;
      const outcome = { ok: true, value: result.value, changes: result.changes } satisfies Outcome<unknown>;
      const value = result.value;
      return value && typeof value === 'object' && handedOver.has(value) ? transfer(outcome, handedOver.get(value)!) : outcome;
    },
  ]);
  return Object.fromEntries(wired) as { [K in keyof S]: Wire<S[K]> };
}

function wireError(error: unknown): WireError {
  const message = messageOfError(error);
  if (message) return { name: 'UserError', message: message.text, key: message.key, values: message.values };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
