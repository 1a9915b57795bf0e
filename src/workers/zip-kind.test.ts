import { describe, expect, it } from 'vitest';
import { zipKind } from './zip-kind';

const bytes = (text: string) => new TextEncoder().encode(text);
const zip = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([path, text]) => [path, bytes(text)]));

describe('what a zip holds', () => {
  it('tells a Kiln project file from a Teachable Machine project by the manifest it carries', () => {
    expect(zipKind(zip({ 'manifest.json': '{"format":"kiln-project","version":2}', 'photos/a/1.jpg': 'x' }))).toBe(
      'kiln-project',
    );
    expect(zipKind(zip({ 'manifest.json': '{"type":"image"}', 'cat-!-0.jpg': 'x' }))).toBe('tm-project');
  });

  it('knows a Teachable Machine model export by model.json beside metadata.json, in any folder', () => {
    expect(zipKind(zip({ 'my-model/model.json': '{}', 'my-model/metadata.json': '{}', 'my-model/weights.bin': '' }))).toBe(
      'tm-model',
    );
  });

  it('calls photos in folders class folders, and anything else unknown', () => {
    expect(zipKind(zip({ 'set/ants/1.JPG': 'x', 'set/bees/2.png': 'x' }))).toBe('class-folders');
    expect(zipKind(zip({ 'IMG_0001.jpg': 'x', 'notes.txt': 'x' }))).toBe('unknown');
    expect(zipKind(zip({ 'manifest.json': 'not json', 'a/model.json': '{}' }))).toBe('unknown');
    expect(zipKind(zip({ 'manifest.json': '{"format":"something-else"}' }))).toBe('unknown');
    expect(zipKind(zip({ 'manifest.json': 'not json', 'Rock-!-0.jpg': 'x' }))).toBe('tm-project');
  });
});
