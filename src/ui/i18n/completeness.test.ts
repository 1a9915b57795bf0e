import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from './locales/en.json';
import { clearMissingMessages, missingMessages, setLanguage, t } from './i18n';
import { FALLBACK_LANGUAGE, LANGUAGES } from './languages';

/**
 * No English left in a translated screen: every English message is shown through t() in every language, with
 * every plural count, and must neither fall back to English at run time (a missing key or plural form) nor read
 * the same as English. A message may equal English only when all its words are in the short lists below.
 */

/** Words that are the same in every language: product names, units, technical names with no translation. */
const SAME_EVERYWHERE = [
  'Kiln',
  'Teachable',
  'Machine',
  'TensorFlow.js',
  'MobileNetV2',
  'F1',
  'Adam',
  'RMSprop',
  'SIMD',
  'MSE',
  'RMSE',
  'MAE',
  'R²',
  'CSV',
  'Huber',
];
const UNITS = ['KB', 'MB', 'GB', 'px', 's', 'min', 'h', 'cm'];
/** Words a language shares with English. Keep these short: each entry is a word a reader sees untranslated. */
const SAME_AS_ENGLISH: Record<string, string[]> = {
  es: ['byte', 'bytes', 'Dropout', 'Original', 'A', 'B'],
  // French shares these words with English: photo(s), classes, actions, points, images, test.
  fr: ['OK', 'photo', 'photos', 'classes', 'Actions', 'points', 'images', 'Photo', 'Test', 'A', 'B'],
  de: ['OK', 'A', 'B'],
  pt: ['OK', 'byte', 'bytes', 'classes', 'Classes', 'Item', 'Original', 'A', 'B'],
  id: ['byte', 'A', 'B'],
  hi: ['A', 'B'],
  zh: ['OK', 'A', 'B'],
  ja: ['OK', 'A', 'B'],
};

type Messages = { [key: string]: string | Messages };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(messages: Messages, prefix = ''): [string, string][] {
  return Object.entries(messages).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? [[path, value] as [string, string]] : flatten(value, path);
  });
}

const english = flatten(en as Messages);
/** Each message once (plural forms under their base key), with every text English has for it. */
const messages = new Map<string, string[]>();
for (const [key, text] of english) {
  const base = key.replace(PLURAL, '');
  messages.set(base, [...(messages.get(base) ?? []), text]);
}

/**
 * Values for a message's interpolations: numbers (so `{{n, number}}` and `{{size, bytes}}` work), except a
 * nested key's part (`$t(worker.zip.file.{{file}})`), which gets the name of a real message under it.
 */
function valuesFor(texts: string[]): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const text of texts) {
    for (const m of text.matchAll(/\{\{\s*(\w+)/g)) values[m[1]!] = 3;
    for (const m of text.matchAll(/\$t\(([\w.]+)\.\{\{(\w+)\}\}\)/g)) {
      const child = english.find(([key]) => key.startsWith(`${m[1]}.`));
      if (child) values[m[2]!] = child[0].slice(m[1]!.length + 1);
    }
  }
  return values;
}

/** Counts that reach every plural category of every shipped language (Spanish "many" is a million). */
const COUNTS = [0, 1, 2, 3, 11, 100, 1_000_000, 1.5];

const allowed = (code: string) => new Set([...SAME_EVERYWHERE, ...UNITS, ...(SAME_AS_ENGLISH[code] ?? [])]);
const words = (text: string) => (text.match(/\p{L}[\p{L}\p{N}.]*/gu) ?? []).map((w) => w.replace(/\.+$/, ''));

beforeEach(() => clearMissingMessages());
afterEach(() => {
  setLanguage('en');
  vi.restoreAllMocks();
});

const translated = LANGUAGES.map((l) => l.code).filter((code) => code !== FALLBACK_LANGUAGE);

describe.each(translated)('%s on screen', (code) => {
  it('shows every message in its own words: nothing falls back to English, nothing reads as English', () => {
    setLanguage(code);
    const same: string[] = [];
    const allow = allowed(code);
    for (const [key, texts] of messages) {
      const values = valuesFor(texts);
      const plural = english.some(([k]) => k.replace(PLURAL, '') === key && PLURAL.test(k));
      for (const count of plural ? COUNTS : [undefined]) {
        const options = count === undefined ? values : { ...values, count };
        const shown = t(key, options);
        const inEnglish = t(key, { ...options, lng: 'en' });
        if (shown === inEnglish && words(shown).some((w) => !allow.has(w))) same.push(`${key}: ${shown}`);
      }
    }
    expect(missingMessages()).toEqual([]);
    expect(same).toEqual([]);
  });
});

describe.each(LANGUAGES.map((l) => [l.code, l.digits] as const))('%s messages', (code, system) => {
  it(`write their own digits in the language's one system (${system})`, () => {
    const own = new Set(new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false }).format(1234567890));
    const flat = flatten(JSON.parse(readFileSync(join(import.meta.dirname, 'locales', `${code}.json`), 'utf8')) as Messages);
    const other = flat.filter(([, text]) =>
      [...text.replace(/\{\{[^}]*\}\}/g, '')].some((c) => /\p{Nd}/u.test(c) && !own.has(c)),
    );
    expect(other.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });
});

describe('a message missing at run time', () => {
  it('is an error on the console, and recorded, when no language has it', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    setLanguage('es');
    expect(t('no.such.message')).toBe('no.such.message');
    expect(missingMessages()).toEqual([{ key: 'no.such.message', language: 'es', fallback: false }]);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/^Kiln i18n: missing key no\.such\.message/));
  });

  it('is an error on the console, and recorded, when English stands in for the language', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // A language with no messages of its own: every key falls back to English.
    expect(t('common.cancel', { lng: 'xx' })).toBe('Cancel');
    expect(missingMessages()).toEqual([{ key: 'common.cancel', language: 'xx', fallback: true }]);
    expect(error).toHaveBeenCalledWith('Kiln i18n: missing key common.cancel in xx; the English text was shown');
  });

  it('is not reported for English itself, nor for a key the language has', () => {
    t('common.cancel');
    setLanguage('ar');
    t('common.cancel');
    expect(missingMessages()).toEqual([]);
  });
});
