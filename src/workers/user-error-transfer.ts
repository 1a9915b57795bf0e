import { transferHandlers } from 'comlink';
import { messageOfError } from '../api/user-message';

/**
 * Comlink sends a thrown Error as its message, name and stack only; this keeps a UserError's key and
 * values too. Comlink's own deserializer copies every field back onto an Error on the page.
 * Installed once in the worker, before expose().
 */
export function keepUserErrorKeys(): void {
  const original = transferHandlers.get('throw')!;
  transferHandlers.set('throw', {
    canHandle: original.canHandle,
    serialize(thrown: unknown) {
      const [serialized, transferables] = original.serialize(thrown);
      const message = messageOfError((thrown as { value?: unknown }).value);
      const value = (serialized as { isError?: boolean; value?: object }).value;
      if (message && (serialized as { isError?: boolean }).isError && value) {
        Object.assign(value, { key: message.key, values: message.values });
      }
      return [serialized, transferables];
    },
    deserialize: original.deserialize,
  });
}
