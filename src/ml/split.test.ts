import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './split';

const labels = [...Array<number>(100).fill(0), ...Array<number>(20).fill(1), ...Array<number>(7).fill(2)];

describe('stratifiedSplit', () => {
  it('holds back the same share of every class', () => {
    const { train, validation } = stratifiedSplit(labels, 0.15, 1);
    const count = (indices: number[], label: number) => indices.filter((i) => labels[i] === label).length;
    expect(count(validation, 0)).toBe(15);
    expect(count(validation, 1)).toBe(3);
    expect(count(validation, 2)).toBe(1);
    expect(train.length + validation.length).toBe(labels.length);
    expect(new Set([...train, ...validation]).size).toBe(labels.length);
  });

  it('repeats exactly for the same seed and changes with another', () => {
    expect(stratifiedSplit(labels, 0.15, 7)).toEqual(stratifiedSplit(labels, 0.15, 7));
    expect(stratifiedSplit(labels, 0.15, 7).validation).not.toEqual(stratifiedSplit(labels, 0.15, 8).validation);
  });

  it('never takes the only photo of a class, and keeps at least one of each in training', () => {
    const { train, validation } = stratifiedSplit([0, 0, 0, 0, 0, 0, 1, 1], 0.5, 3);
    expect(validation.filter((i) => i >= 6).length).toBe(1);
    expect(train.filter((i) => i >= 6).length).toBe(1);
    const single = stratifiedSplit([0, 0, 0, 0, 1], 0.3, 3);
    expect(single.train).toContain(4);
  });

  it('refuses a fraction outside [0, 1)', () => {
    expect(() => stratifiedSplit(labels, 1, 0)).toThrow(/validationFraction/);
  });
});
