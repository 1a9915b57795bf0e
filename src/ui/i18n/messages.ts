import { i18nHasKey, t } from './i18n';
import { messageOfError, type UserMessage } from '../../api/user-message';

/** A worker's message in the page's language: its `worker.<key>` translation, else its English text. */
export function messageText(message: UserMessage): string {
  const key = `worker.${message.key}`;
  return i18nHasKey(key, message.values) ? t(key, message.values) : message.text;
}

/** What to show a person for a caught error: translated when it carries a message key. */
export function errorText(error: unknown): string {
  const message = messageOfError(error);
  if (message) return messageText(message);
  return error instanceof Error ? error.message : String(error);
}
