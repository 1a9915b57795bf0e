import { describe, expect, it } from 'vitest';
import { accuracy, argMax, confusionMatrix } from './metrics';

describe('metrics', () => {
  it('counts true classes in rows and predictions in columns', () => {
    expect(confusionMatrix([0, 0, 1, 1, 2], [0, 1, 1, 1, 0], 3)).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 0],
    ]);
  });

  it('computes accuracy, and NaN when there is nothing to score', () => {
    expect(accuracy([0, 1, 1, 0], [0, 1, 0, 0])).toBe(0.75);
    expect(accuracy([], [])).toBeNaN();
  });

  it('argMax picks the first of equal maxima', () => {
    expect(argMax([0.1, 0.7, 0.2])).toBe(1);
    expect(argMax([0.5, 0.5])).toBe(0);
  });
});
