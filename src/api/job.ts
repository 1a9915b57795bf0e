/**
 * How one call crosses the worker boundary. The page passes `{ signal, onProgress }`; on the wire that
 * becomes a job id (AbortSignal cannot be cloned: aborting sends `cancel(jobId)`) and a progress
 * callback (a comlink proxy). Every call answers with an Outcome: its value or error, plus the changes
 * it made, which the page applies before the call resolves.
 */
import type { Change } from './changes';
import type { MessageValues } from './user-message';

/** What the page may pass with any call. */
export interface JobControl<P> {
  signal?: AbortSignal;
  onProgress?: (progress: P) => void;
}

/** An error as it crosses: a UserError keeps its message key and values. */
export interface WireError {
  name: string;
  message: string;
  key?: string;
  values?: MessageValues;
}

export type Outcome<R> = { ok: true; value: R; changes: Change[] } | { ok: false; error: WireError; changes: Change[] };

/** Progress of a job that counts items. */
export interface Count {
  done: number;
  total: number;
}
