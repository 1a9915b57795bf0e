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

describe('F1 and cross-validation summaries', () => {
  it('macro F1 averages per-class F1 over classes present', async () => {
    const { f1PerClass, macroF1, meanStd } = await import('./metrics');
    // class 0: tp 2, fn 1, fp 1 → F1 = 4/6; class 1: tp 1, fn 1, fp 1 → 2/4
    const confusion = [
      [2, 1],
      [1, 1],
    ];
    expect(f1PerClass(confusion)[0]).toBeCloseTo(4 / 6);
    expect(macroF1(confusion)).toBeCloseTo((4 / 6 + 0.5) / 2);
    expect(meanStd([0.8, 0.9, 1])).toEqual({ mean: expect.closeTo(0.9), std: expect.closeTo(Math.sqrt(0.02 / 3)) });
  });
});
