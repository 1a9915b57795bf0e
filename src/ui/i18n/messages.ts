import { i18nHasKey, t } from './i18n';
import { messageOfError, type UserMessage } from '../../api/user-message';
import { reportUnexpected } from '../unexpected-errors';

/** A worker's message in the page's language: its `worker.<key>` translation, else its English text. */
export function messageText(message: UserMessage): string {
  const key = `worker.${message.key}`;
  return i18nHasKey(key, message.values) ? t(key, message.values) : message.text;
}

/**
 * What to show a person for a caught error: Kiln's own message, translated, when it carries one; otherwise never the
 * raw browser or TensorFlow.js text, but a plain sentence, with the raw text passed on for "Copy details" (unexpected-errors.ts).
 */
export function errorText(error: unknown): string {
  const message = messageOfError(error);
  if (message) return messageText(message);
  reportUnexpected(error);
  return t('app.unexpected');
}
