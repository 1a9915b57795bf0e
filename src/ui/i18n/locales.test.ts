import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './languages';

/** Completeness of the message files: every shipped language says everything English says. */

type Messages = { [key: string]: string | Messages };
const LOCALES = join(import.meta.dirname, 'locales');
const FILES: Record<string, Messages> = Object.fromEntries(
  LANGUAGES.map(({ code }) => [code, JSON.parse(readFileSync(join(LOCALES, `${code}.json`), 'utf8')) as Messages]),
);
const en = FILES.en!;
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** Keys with their plural suffix removed, each with the plural categories present (empty for plain keys). */
function baseKeys(flat: Map<string, string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of flat.keys()) {
    const match = PLURAL_SUFFIX.exec(key);
    const base = match ? key.slice(0, match.index) : key;
    if (!out.has(base)) out.set(base, new Set());
    if (match) out.get(base)!.add(match[1]!);
  }
  return out;
}

/** Interpolation names used by a key (all plural forms together): "{{count, number}}" counts as "count". */
function variables(flat: Map<string, string>, base: string): string[] {
  const names = new Set<string>();
  for (const [key, text] of flat) {
    if (key !== base && key.replace(PLURAL_SUFFIX, '') !== base) continue;
    for (const m of text.matchAll(/\{\{\s*([\w.]+)/g)) names.add(m[1]!);
  }
  names.delete('count'); // a plural form may spell the number out ("فئتان": two classes)
  return [...names].sort();
}

const english = flatten(en);
const englishBases = baseKeys(english);

it('ships a message file for each language in the switcher, and nothing else', () => {
  expect(Object.keys(FILES).sort()).toEqual(LANGUAGES.map((l) => l.code).sort());
  const onDisk = readdirSync(LOCALES).map((f) => f.replace(/\.json$/, ''));
  expect(onDisk.sort()).toEqual(LANGUAGES.map((l) => l.code).sort());
});

describe.each(Object.keys(FILES))('%s messages', (code) => {
  const flat = flatten(FILES[code]!);
  const bases = baseKeys(flat);
  const needed = new Intl.PluralRules(code).resolvedOptions().pluralCategories;

  it('has every English key, and no key English lacks', () => {
    expect([...bases.keys()].filter((k) => !englishBases.has(k))).toEqual([]);
    expect([...englishBases.keys()].filter((k) => !bases.has(k))).toEqual([]);
  });

  it('has every plural form the language needs for each plural key', () => {
    const missing: string[] = [];
    for (const [base, forms] of englishBases) {
      if (forms.size === 0) continue;
      const here = bases.get(base) ?? new Set();
      for (const category of needed) if (!here.has(category)) missing.push(`${base}_${category}`);
    }
    expect(missing).toEqual([]);
  });

  it('has no empty message', () => {
    expect([...flat].filter(([, text]) => text.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it('uses the same interpolation names as English', () => {
    const mismatched = [...englishBases.keys()].filter(
      (base) => variables(flat, base).join() !== variables(english, base).join(),
    );
    expect(mismatched).toEqual([]);
  });
});

describe('keys used in the source', () => {
  const root = join(import.meta.dirname, '..', '..');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
    (f) => /\.(svelte|ts)$/.test(f) && !f.endsWith('.test.ts') && !f.includes('i18n/locales'),
  );
  // Literal keys only: t('projects.title') or ti(…); template keys like t(`backend.source.${x}`) are checked by prefix.
  const used = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/\bti?\(\s*(['"`])([\w.-]+?)(\$\{|\1)/g)) used.set(m[2]!, file);
  }

  it('finds translated text in the source at all', () => {
    expect(used.size).toBeGreaterThan(50);
  });

  it('exist in English', () => {
    const missing = [...used].filter(([key]) => {
      if (key.endsWith('.')) return ![...englishBases.keys()].some((k) => k.startsWith(key));
      return !englishBases.has(key);
    });
    expect(missing.map(([key, file]) => `${key} (${file})`)).toEqual([]);
  });
});
