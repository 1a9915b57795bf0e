/**
 * A sentence for a person, made where the page's language is unknown (the worker): a message key and
 * its values, plus the English text. The page translates the key (`worker.<key>` in the locale files)
 * and falls back to the English text for a key it does not know.
 */
export type MessageValues = Record<string, string | number>;

export interface UserMessage {
  /** Key under `worker.` in src/ui/i18n/locales/*.json, e.g. 'import.unreadable'. */
  key: string;
  values?: MessageValues;
  /** The same sentence in English: logs, tests, and the fallback. */
  text: string;
}

export function userMessage(key: string, text: string, values?: MessageValues): UserMessage {
  return values ? { key, values, text } : { key, text };
}

/** An error whose message a person reads; crosses the worker boundary with its key and values. */
export class UserError extends Error {
  readonly key: string;
  readonly values: MessageValues | undefined;

  constructor(key: string, text: string, values?: MessageValues) {
    super(text);
    this.name = 'UserError';
    this.key = key;
    this.values = values;
  }
}

/** The key and values carried by an error, when it has them (a UserError, or one rebuilt by comlink). */
export function messageOfError(error: unknown): UserMessage | null {
  if (!(error instanceof Error)) return null;
  const { key, values } = error as Error & { key?: unknown; values?: unknown };
  if (typeof key !== 'string') return null;
  const plainValues = values && typeof values === 'object' ? (values as MessageValues) : undefined;
  return userMessage(key, error.message, plainValues);
}
