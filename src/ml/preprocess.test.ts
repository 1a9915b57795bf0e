import { describe, expect, it } from 'vitest';
import { batchInput, rgbaToInput } from './preprocess';

describe('rgbaToInput', () => {
  it('drops alpha and maps 0..255 to the backbone range', () => {
    const out = rgbaToInput(new Uint8ClampedArray([0, 255, 127.5, 9, 255, 0, 0, 255]), 2, [-1, 1]);
    expect(Array.from(out)).toEqual([-1, 1, expect.closeTo(0.0039, 3), 1, -1, -1]);
  });

  it('packs several images one after another', () => {
    const a = new Uint8ClampedArray(4 * 4).fill(255);
    const b = new Uint8ClampedArray(4 * 4).fill(0);
    const out = batchInput([a, b], 2, [0, 1]);
    expect(out.length).toBe(2 * 2 * 2 * 3);
    expect(out.slice(0, 12).every((v) => v === 1)).toBe(true);
    expect(out.slice(12).every((v) => v === 0)).toBe(true);
  });
});
