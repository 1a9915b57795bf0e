import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { trainLoop } from '../../ml/train-loop';
import en from './locales/en.json';
import { setLanguage } from './i18n';
import { errorText } from './messages';

/**
 * Every message key the worker sends (UserError and its subclasses, userMessage()) has an English message
 * under `worker.` that uses only the values the call passes; and a real error thrown by the worker's code is
 * shown in the page's language.
 */

afterEach(() => setLanguage('en'));

const SRC = join(import.meta.dirname, '..', '..');
const CALL = /(?:new \w*Error|userMessage|super)\(\s*'([a-zA-Z]+\.[\w.]+)'/g;

/** The call's own text, from its name to its closing parenthesis (strings and template literals skipped). */
function callText(source: string, start: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = source.indexOf('(', start); i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return source.slice(start, i + 1);
  }
  return source.slice(start);
}

function englishMessage(key: string): string | undefined {
  let node: unknown = (en as Record<string, unknown>).worker;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node === 'string') return node;
  // A plural key: worker.a.b_one / _other …
  const parent = key
    .split('.')
    .slice(0, -1)
    .reduce<unknown>((n, p) => (n as Record<string, unknown>)?.[p], (en as Record<string, unknown>).worker);
  const last = key.split('.').pop()!;
  const forms = Object.entries((parent as Record<string, string>) ?? {}).filter(([k]) => k.startsWith(`${last}_`));
  return forms.length ? forms.map(([, v]) => v).join(' ') : undefined;
}

const calls = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .flatMap((file) => {
    const source = readFileSync(join(SRC, file), 'utf8');
    return [...source.matchAll(CALL)].map((m) => ({ file, key: m[1]!, call: callText(source, m.index) }));
  });

it('finds the worker’s message keys in the source at all', () => {
  expect(calls.length).toBeGreaterThan(40);
});

it('every message key the worker sends has an English message', () => {
  expect(calls.filter((c) => englishMessage(c.key) === undefined).map((c) => `${c.key} (${c.file})`)).toEqual([]);
});

it('each English message uses only values its call passes', () => {
  const missing: string[] = [];
  for (const { key, call, file } of calls) {
    const message = englishMessage(key);
    // Values spread from, or passed as, a variable cannot be read from the source: skipped.
    if (!message || /\.\.\.\w/.test(call) || /,\s*\w+\s*\)$/.test(call)) continue;
    for (const m of message.matchAll(/\{\{\s*(\w+)/g)) {
      const name = m[1]!;
      // Passed as `{ name }`, `{ name: … }`, or as the `count` of a plural.
      if (!new RegExp(`[{,]\\s*${name}\\s*[:,}]`).test(call)) missing.push(`${key}: {{${name}}} (${file})`);
    }
  }
  expect(missing).toEqual([]);
});

it('a real error from the training loop reads in Spanish, then in English again', async () => {
  // No training rows: refused before any tensor is made.
  const options = { parts: {}, numClasses: 2, settings: {}, train: { labels: [] } } as unknown as Parameters<typeof trainLoop>[0];
  const caught = await trainLoop(options).then(
    () => null,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(Error);
  setLanguage('es');
  const spanish = errorText(caught);
  expect(spanish).not.toBe('There are no training photos.');
  expect(spanish).toMatch(/fotos/i);
  setLanguage('en');
  expect(errorText(caught)).toBe('There are no training photos.');
});
