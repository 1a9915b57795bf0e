import { describe, expect, it } from 'vitest';
import { classCounts, classWeights } from './class-weights';

describe('classWeights', () => {
  const skewed = [...Array<number>(30).fill(0), ...Array<number>(10).fill(1), ...Array<number>(20).fill(2)];

  it('weighs each class by n / (classes × count), so every class counts equally in the loss', () => {
    const weights = classWeights(skewed, 3, 'on')!;
    expect(weights[0]).toBeCloseTo(60 / (3 * 30));
    expect(weights[1]).toBeCloseTo(60 / (3 * 10));
    expect(weights[2]).toBeCloseTo(60 / (3 * 20));
    // Weighted counts are equal across classes.
    const counts = classCounts(skewed, 3);
    expect(new Set(counts.map((c, k) => (c * weights[k]!).toFixed(6))).size).toBe(1);
  });

  it("'auto' turns on only when the largest class is more than twice the smallest", () => {
    expect(classWeights(skewed, 3, 'auto')).not.toBeNull();
    const mild = [...Array<number>(20).fill(0), ...Array<number>(10).fill(1)];
    expect(classWeights(mild, 2, 'auto')).toBeNull();
    expect(classWeights([...mild, 0], 2, 'auto')).not.toBeNull();
  });

  it("'off' never weighs", () => {
    expect(classWeights(skewed, 3, 'off')).toBeNull();
  });
});
