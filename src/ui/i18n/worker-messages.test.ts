import { afterEach, expect, it } from 'vitest';
import { decideBackend, type BackendProbe } from '../../ml/backends';
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

it('the backend popover’s reasons read in the page’s language, with every backend left out and why', () => {
  const probe = (name: BackendProbe['name'], available: boolean, software: boolean, description: string) => ({
    name,
    available,
    software,
    description,
  });
  const probes: BackendProbe[] = [
    probe('webgpu', true, true, 'google swiftshader'),
    { ...probe('webgl', false, false, 'WebGL2 is not available'), problem: 'noWebgl2' },
    probe('wasm', true, false, 'SIMD, 2 threads'),
    probe('cpu', true, false, 'JavaScript'),
  ];
  const reasons = decideBackend(probes, {}).reasonMessages!;
  setLanguage('en');
  expect(reasons.map(messageText)).toEqual(reasons.map((m) => m.text));
  expect(reasons.map((m) => m.text).join(' ')).toBe(
    'WASM is the only fast backend here. WebGPU runs in software here (google swiftshader). WebGL is unavailable (WebGL2 is not available).',
  );
  setLanguage('es');
  expect(reasons.map(messageText)).toEqual([
    'WASM es el único motor rápido aquí.',
    'WebGPU funciona aquí por software, sin tarjeta gráfica (google swiftshader).',
    'WebGL no está disponible (WebGL2 no funciona en este navegador).',
  ]);
  // Several backends that failed to run still make one translated sentence.
  const gpu = [probe('webgpu', true, false, 'nvidia'), probe('webgl', true, false, 'NVIDIA'), probe('wasm', true, false, '')];
  const [failed] = decideBackend(gpu, { wasm: 25 }).reasonMessages!;
  expect(failed!.text).toBe('Fastest measured on this device: WASM 25.0 images/s (WebGPU, WebGL failed to run).');
  expect(messageText(failed!)).toBe(
    'El más rápido medido en este dispositivo: WASM, 25,0 imágenes/s (no se pudo medir: WebGPU, WebGL).',
  );
});
