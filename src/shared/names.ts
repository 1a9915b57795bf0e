/**
 * Project and class names: one rule for every way a name comes in (typed, renamed, a folder or zip of class
 * folders, a Teachable Machine project or model). Pure: no DOM, no tfjs.
 *
 * A clean name
 * - has no bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F), no zero-width space (U+200B) and no
 *   byte-order mark (U+FEFF): they are invisible, so "ants" and "ants\u200B" would look the same, and bidi
 *   controls can make a name display as something else;
 * - keeps a zero-width joiner or non-joiner (U+200D, U+200C) only between two visible characters, where it does
 *   something (emoji such as 🧑‍🍳, Persian and Indic spelling); at an edge or beside a space it is dropped;
 * - is in Unicode NFC, so "café" typed on one system and "cafe\u0301" from a folder name on another are one text;
 * - has its whitespace collapsed to single spaces and trimmed;
 * - is at most MAX_NAME_LENGTH UTF-16 code units (as `maxlength` counts them), cut without splitting a surrogate
 *   pair.
 *
 * Names are compared by `nameKey`: the clean name without joiners, lower-cased (locale-independent, so in every
 * language the same), so "Ants", "ants" and "an\u200Dts" are the same name.
 */
import { UserError } from '../api/user-message';

/** The most UTF-16 code units a project or class name may have (the name fields' `maxlength`). */
export const MAX_NAME_LENGTH = 80;

/** Invisible characters that never belong in a name: bidi embeddings/overrides/isolates/marks, ZWSP, BOM. */
const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const JOINERS = /[\u200C\u200D]+/g;
const SPACE = /\s/;

/** The clean form of a name, not cut to length. */
function tidy(raw: string): string {
  return raw
    .replace(INVISIBLE, '')
    .replace(JOINERS, (run: string, offset: number, whole: string) => {
      const before = whole[offset - 1];
      const after = whole[offset + run.length];
      // One joiner between two visible characters; none at an edge or next to a space.
      return before !== undefined && after !== undefined && !SPACE.test(before) && !SPACE.test(after) ? run[0]! : '';
    })
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cuts to `max` code units without splitting a surrogate pair, then drops a trailing space or joiner. */
function cut(name: string, max: number): string {
  if (name.length <= max) return name;
  let end = Math.max(0, max);
  const last = name.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return name.slice(0, end).replace(/[\s\u200C\u200D]+$/u, '');
}

/** The clean name (see above): possibly empty, at most MAX_NAME_LENGTH code units. */
export function cleanName(raw: string): string {
  return cut(tidy(raw), MAX_NAME_LENGTH);
}

/**
 * The form names are compared in, for uniqueness: clean, without joiners, lower-cased. Two names with the same
 * key are the same name to a person. The whole text counts (it is not cut), so give it names already cut
 * (stored names, `cleanName`'s) to compare what is shown.
 */
export function nameKey(name: string): string {
  return tidy(name).replace(JOINERS, '').toLowerCase().normalize('NFC');
}

/** `base` if its key is free, else `base (2)`, `base (3)`…, cut so the suffix fits; the result's key is added. */
function firstFree(base: string, keys: Set<string>, suffixOf = (n: number) => ` (${n})`): string {
  let name = base;
  for (let n = 2; keys.has(nameKey(name)); n++) {
    const suffix = suffixOf(n);
    name = `${cut(base, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
  }
  keys.add(nameKey(name));
  return name;
}

/**
 * A clean name (`fallback` when `raw` cleans to nothing) that differs by `nameKey` from every name in `taken`:
 * "ants", then "ants (2)", "ants (3)"…, cut to leave room for the suffix.
 */
export function uniqueName(raw: string, taken: Iterable<string>, fallback = 'Class'): string {
  const keys = new Set<string>();
  for (const name of taken) keys.add(nameKey(name));
  return firstFree(cleanName(raw) || cleanName(fallback) || 'Class', keys);
}

/**
 * The name of a project brought in from a file: as it was, or "name (imported)", "name (imported 2)"… when a
 * project here already reads the same.
 */
export function importedName(raw: string, taken: Iterable<string>, fallback: string): string {
  const keys = new Set<string>();
  for (const name of taken) keys.add(nameKey(name));
  const suffixOf = (n: number) => (n === 2 ? ' (imported)' : ` (imported ${n - 1})`);
  return firstFree(cleanName(raw) || cleanName(fallback), keys, suffixOf);
}

/** `uniqueName` for a list, in order: each name also differs from the ones before it. */
export function uniqueNames(raws: Iterable<string>, fallback = 'Class', taken: Iterable<string> = []): string[] {
  const keys = new Set<string>();
  for (const name of taken) keys.add(nameKey(name));
  const base = cleanName(fallback) || 'Class';
  return [...raws].map((raw) => firstFree(cleanName(raw) || base, keys));
}

/**
 * A name a person typed (new or renamed project or class): clean, or refused with what to do. A name longer than
 * MAX_NAME_LENGTH is refused rather than cut, so nobody loses the end of what they typed without seeing it.
 */
export function requireName(raw: string, what: 'project' | 'class'): string {
  const name = tidy(raw);
  if (!name) {
    throw what === 'project'
      ? new UserError('name.projectEmpty', 'Give the project a name.')
      : new UserError('name.classEmpty', 'Give the class a name.');
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw what === 'project'
      ? new UserError('name.projectTooLong', `Keep the project name under ${MAX_NAME_LENGTH} characters.`, {
          max: MAX_NAME_LENGTH,
        })
      : new UserError('name.classTooLong', `Keep the class name under ${MAX_NAME_LENGTH} characters.`, {
          max: MAX_NAME_LENGTH,
        });
  }
  return name;
}
