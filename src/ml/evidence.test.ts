import { describe, expect, it } from 'vitest';
import { edgeArea, edgeShare, strongestRegion } from './evidence';

const grid = (rows: number, cols: number, lit: (r: number, c: number) => number) => ({
  rows,
  cols,
  heat: Array.from({ length: rows * cols }, (_, i) => lit(Math.floor(i / cols), i % cols)),
});

describe('reading a heatmap', () => {
  it('names the third of the photo where most evidence lies', () => {
    expect(strongestRegion(grid(7, 7, (r, c) => (r === 3 && c === 3 ? 1 : 0)))).toBe('centre');
    expect(strongestRegion(grid(7, 7, (r, c) => (r <= 1 && c >= 5 ? 1 : 0)))).toBe('topRight');
    expect(strongestRegion(grid(7, 7, (r) => (r === 6 ? 1 : 0.1)))).toBe('bottom');
    expect(strongestRegion(grid(6, 9, (r, c) => (c < 3 && r >= 2 && r <= 3 ? 1 : 0)))).toBe('left');
    expect(strongestRegion(grid(7, 7, () => 0))).toBeNull();
  });

  it('measures how much evidence lies at the edges against the centre', () => {
    expect(edgeArea(7, 7)).toBeCloseTo(24 / 49, 10);
    expect(edgeShare(grid(7, 7, () => 1))).toBeCloseTo(24 / 49, 10);
    expect(edgeShare(grid(7, 7, (r, c) => (r >= 2 && r <= 4 && c >= 2 && c <= 4 ? 1 : 0)))).toBe(0);
    // A frame around the photo: all of it at the edges.
    expect(edgeShare(grid(7, 7, (r, c) => (r === 0 || c === 0 || r === 6 || c === 6 ? 1 : 0)))).toBe(1);
    expect(edgeShare(grid(7, 7, () => 0))).toBe(0);
  });
});
