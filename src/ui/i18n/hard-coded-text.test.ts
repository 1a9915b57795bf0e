import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';
import { expect, it } from 'vitest';

/**
 * No visible English left in the markup: every .svelte file's text and its user-facing attributes
 * (aria-label, title, placeholder, alt, label) must come from t(). Parsed with Svelte's own parser,
 * so scripts, styles, comments and expressions are never mistaken for text.
 */

const UI = join(import.meta.dirname, '..');
const CHECKED_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label']);
const HAS_LETTER = /\p{L}/u;

/** Literal text that is the same in every language. */
const SAME_IN_EVERY_LANGUAGE = new Set([
  'Kiln', // the product's name
]);

interface Finding {
  file: string;
  line: number;
  text: string;
}

type Node = { type?: string; name?: string; start?: number; value?: unknown; data?: string } & Record<string, unknown>;

function lineOf(source: string, offset: number | undefined): number {
  return source.slice(0, offset ?? 0).split('\n').length;
}

function visibleText(file: string, source: string): Finding[] {
  const found: Finding[] = [];
  const report = (node: Node, text: string) => {
    const trimmed = text.trim();
    if (HAS_LETTER.test(trimmed) && !SAME_IN_EVERY_LANGUAGE.has(trimmed))
      found.push({ file, line: lineOf(source, node.start), text: trimmed });
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'Text') return report(n, n.data ?? '');
    if (n.type === 'Attribute') {
      if (CHECKED_ATTRIBUTES.has(n.name ?? '') && Array.isArray(n.value))
        for (const part of n.value as Node[]) if (part.type === 'Text') report(part, part.data ?? '');
      return;
    }
    // Code samples (file names, URL options) are not prose.
    if (n.type === 'RegularElement' && n.name === 'code') return;
    for (const [key, value] of Object.entries(n)) if (key !== 'expression' && key !== 'metadata') walk(value);
  };
  walk(parse(source, { modern: true }).fragment);
  return found;
}

const files = readdirSync(UI, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.svelte'))
  .map((f) => f.replaceAll('\\', '/'))
  .sort();

it.each(files)('%s has no hard-coded visible text', (file) => {
  const source = readFileSync(join(UI, file), 'utf8');
  expect(visibleText(relative(UI, join(UI, file)), source)).toEqual([]);
});

it('catches hard-coded text and labels (the check itself works)', () => {
  const sample = `<script>let n = 'x';</script><h1>Hello</h1><p>{n}</p><button aria-label="Close it">×</button>
    <Picker label="Choose" /><p>Kiln</p><code>model.json</code><style>p { color: red; }</style>`;
  expect(visibleText('sample.svelte', sample).map((f) => f.text)).toEqual(['Hello', 'Close it', 'Choose']);
});
