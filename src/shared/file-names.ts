/**
 * File names for downloads: one rule for every file Kiln saves (model zip, demo page, project file, classroom
 * pack, dataset, evaluation report and CSV). Pure: no DOM, no tfjs; the worker and the page use the same code.
 *
 * A stem keeps what makes a name readable in any script and drops what some file system refuses:
 * - kept: letters (`\p{L}`), combining marks (`\p{M}`, which Arabic vowels and Devanagari or Thai vowel signs
 *   need), digits (`\p{N}`) of every script, emoji (whole, with their joiners and modifiers), and a zero-width
 *   joiner or non-joiner between two kept characters (Persian and Indic spelling);
 * - everything else becomes one dash: spaces and punctuation, the characters Windows, macOS or Linux refuse
 *   (`/ \ : * ? " < > |`), control characters, bidi controls (which can make a name display as something else),
 *   zero-width spaces and byte-order marks;
 * - in Unicode NFC (so "é" is one character in the file system, as macOS and Windows show it), with no leading or
 *   trailing dashes, dots or spaces;
 * - at most STEM_MAX_BYTES bytes of UTF-8 (file systems count bytes, 255 at most, and the suffix comes after),
 *   cut between whole characters (an emoji or a letter with its marks is never split);
 * - never a name Windows reserves for a device (CON, PRN, AUX, NUL, COM1–9, LPT1–9): "CON" becomes "CON_", as
 *   "CON.kiln.zip" could not be saved there;
 * - never empty: "kiln-project" when nothing is left.
 */

/** The most UTF-8 bytes of a stem; with Kiln's longest suffix ("-classroom.kiln.zip") well under 255. */
export const STEM_MAX_BYTES = 120;

/** The stem when a name has nothing that can be kept. */
export const FALLBACK_STEM = 'kiln-project';

const KEEP = /^[\p{L}\p{M}\p{N}\u200C\u200D]$/u;
const EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
const JOINERS_AT_END = /[\u200C\u200D]+$/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const utf8 = new TextEncoder();

/** Whether a whole character as people see it (a grapheme) may stay in a file name. */
function keeps(grapheme: string): boolean {
  // An emoji sequence (👩‍🔬, 🇪🇸, 1️⃣) is kept whole, with its joiners, variation selectors and skin tones.
  if (EMOJI.test(grapheme)) return true;
  // Otherwise a letter, mark or digit, with the marks and joiners that follow it (they belong to its grapheme).
  return !/^[\u200C\u200D]/.test(grapheme) && [...grapheme].every((c) => KEEP.test(c));
}

/** A file name stem from a project name, in any script: see the rule above. */
export function fileStem(name: string): string {
  const graphemes = [...segmenter.segment(name.normalize('NFC'))].map((s) => s.segment);
  const parts: string[] = [];
  graphemes.forEach((g, i) => {
    if (!keeps(g)) {
      if (parts.length && parts[parts.length - 1] !== '-') parts.push('-');
      return;
    }
    // A joiner stays only between two kept characters, where it changes how they are drawn.
    const next = graphemes[i + 1];
    parts.push(next !== undefined && keeps(next) ? g : g.replace(JOINERS_AT_END, ''));
  });
  // Cut to length between whole graphemes, then drop a dash the cut left at the end.
  let bytes = 0;
  let end = 0;
  for (; end < parts.length; end++) {
    const size = utf8.encode(parts[end]!).byteLength;
    if (bytes + size > STEM_MAX_BYTES) break;
    bytes += size;
  }
  const stem = parts
    .slice(0, end)
    .join('')
    .replace(/[-\u200C\u200D]+$/u, '');
  if (!stem) return FALLBACK_STEM;
  return WINDOWS_RESERVED.test(stem) ? `${stem}_` : stem;
}

/** A whole file name: the stem of `name`, then a suffix Kiln chooses ("-demo.html", ".kiln.zip"). */
export function downloadName(name: string, suffix: string): string {
  return `${fileStem(name)}${suffix}`;
}
