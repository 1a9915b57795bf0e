import { describe, expect, it } from 'vitest';
import { stratifiedKFold } from './folds';

const labels = [...Array<number>(50).fill(0), ...Array<number>(20).fill(1), ...Array<number>(7).fill(2)];

describe('stratifiedKFold', () => {
  it('uses every item for validation exactly once, and never in its own training part', () => {
    for (const k of [3, 5, 10]) {
      const folds = stratifiedKFold(labels, k, 1);
      expect(folds).toHaveLength(k);
      const seen = folds.flatMap((f) => f.validation).sort((a, b) => a - b);
      expect(seen).toEqual(labels.map((_, i) => i));
      for (const fold of folds) {
        expect(fold.train.length + fold.validation.length).toBe(labels.length);
        expect(fold.train.some((i) => fold.validation.includes(i))).toBe(false);
      }
    }
  });

  it('keeps class proportions in every fold', () => {
    const folds = stratifiedKFold(labels, 5, 2);
    for (const fold of folds) {
      const of = (c: number) => fold.validation.filter((i) => labels[i] === c).length;
      expect(of(0)).toBe(10);
      expect(of(1)).toBe(4);
      expect([1, 2]).toContain(of(2));
    }
  });

  it('is repeatable for a seed', () => {
    expect(stratifiedKFold(labels, 4, 9)).toEqual(stratifiedKFold(labels, 4, 9));
    expect(() => stratifiedKFold(labels, 1, 0)).toThrow(/at least 2/);
  });
});
