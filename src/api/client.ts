/**
 * The page's handle on the studio worker: a few generic lines over comlink, the same for every
 * operation. A call takes its arguments and, optionally, `{ signal, onProgress }`; the changes it made
 * reach `onChanges` (the state classes) before it resolves, so whoever awaits it sees fresh state.
 */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { Change } from './changes';
import type { JobControl, Outcome, WireError } from './job';
import { UserError } from './user-message';

type WireOperation = (args: never, jobId?: string | null, onProgress?: never) => Promise<Outcome<unknown>>;

/** An operation whose service takes no arguments (its `args` is void, or absent and so unknown). */
type NoArgs<A> = [A] extends [void] ? true : unknown extends A ? true : false;

/** Each operation of `Api` as the page calls it. */
export type Client<Api> = {
  [K in keyof Api as Api[K] extends WireOperation ? K : never]: Api[K] extends (
    args: infer A,
    jobId?: string | null,
    onProgress?: (progress: infer P) => void,
  ) => Promise<Outcome<infer R>>
    ? (
        ...call: NoArgs<A> extends true ? [args?: undefined, control?: JobControl<P>] : [args: A, control?: JobControl<P>]
      ) => Promise<R>
    : never;
};

type Wired = Record<string, (args: unknown, jobId: string | null, onProgress?: unknown) => Promise<Outcome<unknown>>> & {
  cancel(jobId: string): void;
};

export function createClient<Api>(endpoint: Worker, onChanges: (changes: Change[]) => Promise<void>): Client<Api> {
  const remote = wrap<Wired>(endpoint);
  const call = async (name: string, args: unknown, control: JobControl<unknown> = {}) => {
    const jobId = control.signal ? crypto.randomUUID() : null;
    const onAbort = () => void remote.cancel(jobId!);
    control.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const send = remote[name] as unknown as Remote<Wired>[string];
      const transferables = transferablesIn(args);
      const outcome = await send(
        transferables.length ? transfer(args, transferables) : args,
        jobId,
        control.onProgress ? proxy(control.onProgress) : undefined,
      ).catch((error: unknown) => {
        // The worker itself failed (it crashed, or the call could not be sent).
        throw new Error(error instanceof Error ? error.message : String(error));
      });
      await onChanges(outcome.changes);
      if (!outcome.ok) throw errorFromWire(outcome.error);
      return outcome.value;
    } finally {
      control.signal?.removeEventListener('abort', onAbort);
    }
  };
  // Any property is an operation ('then' excepted, so the client is not mistaken for a promise).
  return new Proxy({} as Client<Api>, {
    get: (_, name) =>
      typeof name === 'string' && name !== 'then'
        ? (args: unknown, control?: JobControl<unknown>) => call(name, args, control)
        : undefined,
  });
}

function errorFromWire(error: WireError): Error {
  if (error.key) return new UserError(error.key, error.message, error.values);
  return Object.assign(new Error(error.message), { name: error.name });
}

/** Camera frames cross by transfer, not copy: at the top of the arguments, in an array there, or one object down. */
function transferablesIn(args: unknown): Transferable[] {
  if (typeof ImageBitmap === 'undefined' || !args || typeof args !== 'object') return [];
  const isPlainObject = (value: unknown): value is object =>
    value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
  return Object.values(args)
    .flatMap((value: unknown) => (Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [value]))
    .filter((value): value is ImageBitmap => value instanceof ImageBitmap);
}
