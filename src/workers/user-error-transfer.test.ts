import { transferHandlers } from 'comlink';
import { expect, it } from 'vitest';
import { messageOfError, UserError } from '../api/user-message';
import { errorText } from '../ui/i18n/messages';
import { keepUserErrorKeys } from './user-error-transfer';

/** What the page gets when the worker throws: comlink's throw handler, serialized then deserialized. */
function acrossTheBoundary(error: unknown): unknown {
  const handler = transferHandlers.get('throw')!;
  const [serialized] = handler.serialize({ value: error });
  try {
    handler.deserialize(structuredClone(serialized));
  } catch (received) {
    return received;
  }
  throw new Error('the throw handler did not throw');
}

it('a UserError keeps its message key and values across the worker boundary', () => {
  keepUserErrorKeys();
  const received = acrossTheBoundary(new UserError('import.example', 'Photo cat.jpg is empty.', { name: 'cat.jpg' }));
  expect(received).toBeInstanceOf(Error);
  expect(messageOfError(received)).toEqual({
    key: 'import.example',
    values: { name: 'cat.jpg' },
    text: 'Photo cat.jpg is empty.',
  });
});

it('an ordinary error still arrives as its message, and is shown as it is', () => {
  keepUserErrorKeys();
  const received = acrossTheBoundary(new Error('Out of memory'));
  expect(messageOfError(received)).toBeNull();
  expect(errorText(received)).toBe('Out of memory');
});

it('an unknown message key falls back to the English text', () => {
  expect(errorText(new UserError('no.such.key', 'The English sentence.'))).toBe('The English sentence.');
});
