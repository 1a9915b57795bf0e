import { describe, expect, it } from 'vitest';
import { downloadName, FALLBACK_STEM, fileStem, STEM_MAX_BYTES } from './file-names';

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;
/** Characters no common file system accepts, or that hide or reorder a name. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[/\\:*?"<>|\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069\u200b\ufeff]/;

describe('fileStem', () => {
  it('keeps Latin names as before: spaces and punctuation become single dashes', () => {
    expect(fileStem('Ants and bees')).toBe('Ants-and-bees');
    expect(fileStem('My cats & dogs!')).toBe('My-cats-dogs');
    expect(fileStem('  Rock, paper… scissors?  ')).toBe('Rock-paper-scissors');
    expect(fileStem('Café crème')).toBe('Café-crème');
  });

  it('keeps Arabic letters, vowel marks and digits readable', () => {
    expect(fileStem('نحل وزهور')).toBe('نحل-وزهور');
    expect(fileStem('مَشْرُوعِي ٢٠٢٥')).toBe('مَشْرُوعِي-٢٠٢٥');
    // Marks are kept as written, not split from their letters (NFKD used to turn them into dashes).
    expect(fileStem('فَصْل')).toBe('فَصْل');
  });

  it('keeps Chinese, Japanese, Korean, Devanagari and Persian names', () => {
    expect(fileStem('蜜蜂和蚂蚁')).toBe('蜜蜂和蚂蚁');
    expect(fileStem('ハチ・アリ')).toBe('ハチ-アリ');
    expect(fileStem('벌과 개미')).toBe('벌과-개미');
    expect(fileStem('हिन्दी परियोजना')).toBe('हिन्दी-परियोजना');
    // The zero-width non-joiner inside a Persian word is spelling, and stays.
    expect(fileStem('می\u200Cخواهم')).toBe('می\u200Cخواهم');
  });

  it('writes names in NFC, whichever form they came in', () => {
    expect(fileStem('cafe\u0301')).toBe('caf\u00e9');
    expect(fileStem('\u1100\u1161')).toBe('가'); // Hangul jamo compose into one syllable
  });

  it('keeps emoji whole, with their joiners and modifiers', () => {
    expect(fileStem('🐝 and 🌸')).toBe('🐝-and-🌸');
    expect(fileStem('👩🏽‍🔬 lab')).toBe('👩🏽‍🔬-lab');
    expect(fileStem('🇪🇸')).toBe('🇪🇸');
  });

  it('replaces what file systems refuse, control and bidi characters', () => {
    expect(fileStem('a/b\\c:d*e?f"g<h>i|j')).toBe('a-b-c-d-e-f-g-h-i-j');
    expect(fileStem('tab\there\nnew\u0000line')).toBe('tab-here-new-line');
    // A right-to-left override could make "exe.txt" display as "txt.exe".
    expect(fileStem('report\u202Etxt.exe')).toBe('report-txt-exe');
    expect(fileStem('\u2067نحل\u2069')).toBe('نحل');
    expect(fileStem('zero\u200Bwidth\uFEFF')).toBe('zero-width');
  });

  it('trims dots, spaces and dashes at both ends', () => {
    expect(fileStem('..hidden..')).toBe('hidden');
    expect(fileStem(' - name - ')).toBe('name');
    expect(fileStem('\u200Dname\u200D')).toBe('name');
  });

  it('never gives a name Windows reserves for a device', () => {
    expect(fileStem('CON')).toBe('CON_');
    expect(fileStem('nul')).toBe('nul_');
    expect(fileStem('Com1')).toBe('Com1_');
    expect(fileStem('LPT9')).toBe('LPT9_');
    expect(fileStem('con.')).toBe('con_');
    expect(fileStem('CONSOLE')).toBe('CONSOLE');
    expect(fileStem('con game')).toBe('con-game');
  });

  it('falls back to "kiln-project" when nothing readable is left', () => {
    for (const name of ['', '   ', '***', '...', '\u202E\u2066', '/\\:*?"<>|']) expect(fileStem(name)).toBe(FALLBACK_STEM);
  });

  it('caps long names by UTF-8 bytes, between whole characters', () => {
    const latin = fileStem('a'.repeat(500));
    expect(latin).toBe('a'.repeat(STEM_MAX_BYTES));
    const arabic = fileStem('نحل '.repeat(100));
    expect(bytes(arabic)).toBeLessThanOrEqual(STEM_MAX_BYTES);
    expect(arabic).toMatch(/^نحل(-نحل)+$/); // no dash left at the end, no letter cut in half
    const chinese = fileStem('蜜'.repeat(100));
    expect(chinese).toBe('蜜'.repeat(STEM_MAX_BYTES / 3)); // three bytes each
    const emoji = fileStem('👩🏽‍🔬'.repeat(20));
    expect(bytes(emoji)).toBeLessThanOrEqual(STEM_MAX_BYTES);
    expect(emoji).toBe('👩🏽‍🔬'.repeat(Math.floor(STEM_MAX_BYTES / bytes('👩🏽‍🔬'))));
    const marked = fileStem('मि'.repeat(100)); // a letter and its vowel sign stay together
    expect(marked.length % 2).toBe(0);
    // With Kiln's longest suffix, every name fits the 255-byte limit of common file systems.
    expect(bytes(downloadName('😀'.repeat(200), '-classroom.kiln.zip'))).toBeLessThan(255);
  });

  it('never lets an unsafe character through', () => {
    const nasty = ['x\u0001y', 'a\u007fb', '\u200Fمرحبا\u200E', 'a\u2066b\u2069c', 'CON\u0000', '🐝\u202E🐝'];
    for (const name of nasty) expect(fileStem(name)).not.toMatch(UNSAFE);
  });
});

describe('downloadName', () => {
  it('puts the suffix after the stem', () => {
    expect(downloadName('نحل وزهور', '-demo.html')).toBe('نحل-وزهور-demo.html');
    expect(downloadName('CON', '.kiln.zip')).toBe('CON_.kiln.zip');
    expect(downloadName('', '-model.zip')).toBe('kiln-project-model.zip');
  });
});
