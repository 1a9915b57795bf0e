import { afterEach, expect, it } from 'vitest';
import { balanceFindings } from '../../ml/health';
import { messageOfError, type UserMessage } from '../../api/user-message';
import { diskFullMessage } from '../../workers/importer';
import { decodeImageFile } from '../../workers/pixels';
import { setLanguage } from './i18n';
import { messageText } from './messages';

/**
 * The worker's messages (import refusals, health findings) are sent as keys with their English text; the
 * English translation must read exactly as that text, since logs, tests and the fallback use it.
 */

afterEach(() => setLanguage('en'));

async function refusal(file: Blob & { name?: string }): Promise<UserMessage> {
  try {
    await decodeImageFile(file);
  } catch (error) {
    const message = messageOfError(error);
    if (message) return message;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function samples(): Promise<UserMessage[]> {
  const findings = [
    ...balanceFindings([
      { id: 'a', name: 'ants', count: 9 },
      { id: 'b', name: 'bees', count: 30 },
      { id: 'c', name: 'cats', count: 0 },
      { id: 'd', name: 'owls', count: 1 },
    ]),
    ...balanceFindings([
      { id: 'a', name: 'ants', count: 1 },
      { id: 'b', name: 'bees', count: 4 },
    ]),
  ];
  return [
    ...findings.flatMap((f) => [f.said.message, f.said.advice]),
    diskFullMessage(1, 3),
    diskFullMessage(18, 0),
    await refusal(Object.assign(new Blob([]), { name: 'empty.jpg' })),
    await refusal(Object.assign(new Blob(['hello'], { type: 'text/plain' }), { name: 'readme.txt' })),
  ];
}

it('the English translation of each worker message is its English text', async () => {
  setLanguage('en');
  const messages = await samples();
  expect(messages.map((m) => m.key)).toEqual(
    expect.arrayContaining(['health.imbalance', 'health.noPhotos', 'health.fewPhotos', 'import.diskFull', 'import.empty']),
  );
  for (const message of messages) expect(messageText(message)).toBe(message.text);
});

it('shows worker messages in the page’s language', async () => {
  const [empty, notImage] = (await samples()).slice(-2);
  setLanguage('es');
  expect(messageText(empty!)).toBe('el archivo está vacío (0 bytes)');
  expect(messageText(notImage!)).toBe('no es una imagen (su tipo es text/plain)');
  setLanguage('ar');
  expect(messageText(empty!)).toBe('الملف فارغ (0 بايت)');
});

it('plural messages (with a count) are translated too, not left in English', () => {
  const [few] = balanceFindings([{ id: 'a', name: 'paper', count: 4 }]);
  expect(few!.said.message.key).toBe('health.fewPhotos');
  setLanguage('ar');
  expect(messageText(few!.said.message)).toContain('«paper»');
  expect(messageText(few!.said.advice)).not.toBe(few!.said.advice.text);
  setLanguage('es');
  expect(messageText(few!.said.message)).not.toBe(few!.said.message.text);
  expect(messageText(few!.said.message)).toContain('paper');
});
