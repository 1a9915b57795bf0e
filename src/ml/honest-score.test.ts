import { describe, expect, it } from 'vitest';
import { honestScore, honestScoreOfCounts, needsMorePhotos, photosToAdd, tellsApart, wilsonInterval } from './honest-score';

/** A diagonal confusion matrix with `right` of `n` photos right in each of `k` classes, the rest taken for the next class. */
function matrix(k: number, n: number, right: number): number[][] {
  return Array.from({ length: k }, (_, i) => {
    const row = new Array<number>(k).fill(0);
    row[i] = right;
    row[(i + 1) % k]! += n - right;
    return row;
  });
}

describe('wilsonInterval', () => {
  it('matches published values', () => {
    // Wilson (1927); e.g. Newcombe (1998), Table I: 81 of 263 → 0.2553–0.3662.
    const a = wilsonInterval(81, 263)!;
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilsonInterval(15, 148)!;
    expect(b.low).toBeCloseTo(0.0624, 4);
    expect(b.high).toBeCloseTo(0.1605, 4);
  });

  it('stays inside 0–1 and keeps a width at 0 % and 100 % on few photos', () => {
    const all = wilsonInterval(6, 6)!;
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.6097, 4);
    const none = wilsonInterval(0, 6)!;
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.3903, 4);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('narrows as photos are added', () => {
    const width = (r: number, n: number) => {
      const i = wilsonInterval(r, n)!;
      return i.high - i.low;
    };
    expect(width(9, 10)).toBeGreaterThan(width(18, 20));
    expect(width(18, 20)).toBeGreaterThan(width(90, 100));
  });
});

describe('honestScore', () => {
  it('says on how many photos a score rests, and its range', () => {
    const score = honestScore([
      [4, 1],
      [0, 5],
    ]);
    expect(score).toMatchObject({ right: 9, total: 10, accuracy: 0.9, chance: 0.5, perClass: [5, 5], shortClasses: [0, 1] });
    expect(score.interval!.low).toBeCloseTo(0.5958, 3);
    expect(score.verdict).toBe('uncertain');
    expect(needsMorePhotos(score)).toBe(true);
    expect(tellsApart(score)).toBe(true);
  });

  it('trusts a score only with 20 photos of every class to check on', () => {
    expect(honestScore(matrix(2, 20, 19)).verdict).toBe('trusted');
    expect(honestScore(matrix(2, 20, 19)).shortClasses).toEqual([]);
    const lopsided = honestScore([
      [19, 1],
      [1, 18],
    ]);
    expect(lopsided.verdict).toBe('uncertain');
    expect(lopsided.shortClasses).toEqual([1]);
  });

  it('calls a model that answers one class for everything guessing, however few the photos', () => {
    const rock = honestScore([
      [2, 0, 0],
      [2, 0, 0],
      [2, 0, 0],
    ]);
    expect(rock.verdict).toBe('one-answer');
    expect(rock.oneAnswer).toEqual({ classIndex: 0, count: 6 });
    expect(tellsApart(rock)).toBe(false);
    expect(
      honestScore([
        [0, 1],
        [0, 1],
      ]),
    ).toMatchObject({ verdict: 'one-answer', oneAnswer: { classIndex: 1, count: 2 } });
    // 90 % of answers one class, most of the other class's photos among them.
    expect(
      honestScore([
        [20, 0],
        [18, 2],
      ]).verdict,
    ).toBe('one-answer');
    // A lopsided set answered right is not one answer for everything.
    expect(
      honestScore([
        [18, 0],
        [0, 2],
      ]).verdict,
    ).not.toBe('one-answer');
  });

  it('calls a score about what random picks get guessing', () => {
    expect(
      honestScore([
        [2, 1, 2],
        [1, 2, 2],
        [2, 1, 2],
      ]).verdict,
    ).toBe('guessing');
    expect(
      honestScore([
        [28, 22],
        [22, 28],
      ]).verdict,
    ).toBe('guessing'); // 56 %: under 50 % + 0.15 × 50 %
  });

  it('says "too few to tell" when luck could explain a good-looking score', () => {
    const two = honestScore([
      [1, 0],
      [0, 1],
    ]);
    expect(two.verdict).toBe('too-few');
    expect(tellsApart(two)).toBe(false);
    // 4 of 6 on three classes: 67 %, but the range reaches down to chance.
    expect(honestScore(matrix(3, 2, 1).map((row, i) => (i === 2 ? [0, 0, 2] : row))).verdict).toBe('too-few');
    // 6 of 6 on three classes: better than chance even at the bottom of its range.
    expect(honestScore(matrix(3, 2, 2)).verdict).toBe('uncertain');
  });

  it('has no score without photos or with one class', () => {
    expect(
      honestScore([
        [0, 0],
        [0, 0],
      ]),
    ).toMatchObject({ verdict: 'no-score', total: 0, accuracy: null, interval: null });
    expect(honestScore([[5]]).verdict).toBe('no-score');
    expect(honestScore([]).verdict).toBe('no-score');
    expect(tellsApart(null)).toBe(false);
    expect(needsMorePhotos(null)).toBe(false);
  });

  it('names the two classes mixed up most, either way round', () => {
    expect(
      honestScore([
        [5, 1, 0],
        [0, 4, 2],
        [0, 1, 6],
      ]).mixedUp,
    ).toEqual({ a: 1, b: 2, count: 3 });
    expect(honestScore(matrix(2, 5, 5)).mixedUp).toBeNull();
  });
});

describe('photosToAdd', () => {
  it('for held-back photos, counts the photos a class needs for 20 to be held back', () => {
    const score = honestScore([
      [2, 0],
      [0, 2],
    ]);
    // 15 %: 130 photos hold 20 back; the classes have 10 and 12.
    expect(photosToAdd(score, { kind: 'held-back', fraction: 0.15, classCounts: [10, 12] })).toEqual({
      count: 120,
      classes: [0, 1],
    });
    expect(photosToAdd(score, { kind: 'held-back', fraction: 0, classCounts: [10, 12] })).toBeNull();
  });

  it('for test photos, counts the test photos each class lacks', () => {
    const score = honestScore([
      [5, 0],
      [1, 19],
    ]);
    expect(photosToAdd(score, { kind: 'test' })).toEqual({ count: 15, classes: [0] });
    expect(photosToAdd(honestScore(matrix(2, 20, 20)), { kind: 'test' })).toBeNull();
  });

  it('for cross-validation, counts the photos each class lacks (every photo is checked once)', () => {
    const score = honestScoreOfCounts(28, [15, 15]);
    expect(score).toMatchObject({ verdict: 'uncertain', right: 28, total: 30, oneAnswer: null, mixedUp: null });
    expect(photosToAdd(score, { kind: 'cross-validation' })).toEqual({ count: 5, classes: [0, 1] });
  });
});

describe('honestScoreOfCounts', () => {
  it('applies the same rules as a confusion matrix, without the one-answer check', () => {
    expect(honestScoreOfCounts(9, [6, 6, 6]).verdict).toBe('too-few');
    expect(honestScoreOfCounts(60, [40, 40, 40]).verdict).toBe('trusted'); // weak (50 %), but surely better than random
    expect(honestScoreOfCounts(45, [40, 40, 40]).verdict).toBe('guessing');
    expect(honestScoreOfCounts(114, [40, 40, 40]).verdict).toBe('trusted');
    expect(honestScoreOfCounts(0, [0, 0]).verdict).toBe('no-score');
  });
});
