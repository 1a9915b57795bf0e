/**
 * Direction isolation for values inside translated sentences. A project, class or file name (or a number) in
 * a sentence of the other direction reorders its neighbours: "Delete “نحل”?" loses its question mark to the
 * name, "(MobileNetV2, 20 epochs)" its brackets in Arabic. ti() (i18n.ts) wraps each interpolated value in
 * FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (U+2068 … U+2069), which the browser lays out as a unit
 * whose direction comes from its own first letter; the kit's BidiText component shows such a sentence with a
 * <bdi> for each isolate instead of the invisible marks, so the page's text (and what tests and screen readers
 * read) stays the plain sentence.
 */

export const FSI = '\u2068';
export const PDI = '\u2069';
const ISOLATE_MARKS = /[\u2066-\u2069]/g;

/**
 * A value laid out on its own: "⁨نحل⁩". Isolates already in it (a list of isolated names) stay, balanced: a
 * stray mark typed into a name cannot end the isolate early or leave one open.
 */
export function isolate(value: string): string {
  let depth = 0;
  let inside = '';
  for (const c of value) {
    if (c === PDI) {
      if (depth === 0) continue;
      depth--;
    } else if (c === FSI || c === '\u2066' || c === '\u2067') depth++;
    inside += c;
  }
  return FSI + inside + PDI.repeat(depth) + PDI;
}

/** The sentence without isolation marks (for an attribute, a file name, the clipboard). */
export function withoutIsolates(text: string): string {
  return text.replace(ISOLATE_MARKS, '');
}

/** Plain text, or an isolated run (which may hold isolated runs of its own). */
export type BidiPart = string | { isolated: BidiPart[] };

/** Splits a sentence at its isolates; an unmatched mark is dropped. */
export function bidiParts(text: string): BidiPart[] {
  let at = 0;
  const parse = (): BidiPart[] => {
    const parts: BidiPart[] = [];
    let plain = '';
    const flush = () => {
      if (plain) parts.push(plain);
      plain = '';
    };
    while (at < text.length) {
      const c = text[at++]!;
      if (c === FSI) {
        flush();
        parts.push({ isolated: parse() });
      } else if (c === PDI) {
        break;
      } else if (c !== '\u2066' && c !== '\u2067') {
        plain += c;
      }
    }
    flush();
    return parts;
  };
  const parts: BidiPart[] = [];
  // A PDI with no FSI before it ends parse() early: keep going after it.
  while (at < text.length) parts.push(...parse());
  return parts;
}
