import { describe, expect, it } from 'vitest';
import { RECOMMENDED_PHOTOS_PER_CLASS } from '../api/domain';
import { datasetHints, modelHints, type RunSummary } from './hints';

const cls = (name: string, count: number) => ({ id: `id-${name}`, name, count });

describe('datasetHints', () => {
  it('says nothing before there is a class, and nothing when the photos are fine', () => {
    expect(datasetHints([])).toEqual([]);
    expect(datasetHints([cls('rock', 12), cls('paper', 15), cls('scissors', 10)])).toEqual([]);
  });

  it('asks for a second class when there is one class only, whatever its photos', () => {
    expect(datasetHints([cls('rock', 40)])).toEqual([{ kind: 'one-class', name: 'rock' }]);
    expect(datasetHints([cls('rock', 0)])).toEqual([{ kind: 'one-class', name: 'rock' }]);
  });

  it('does not say "too few photos" before any photo was added', () => {
    expect(datasetHints([cls('rock', 0), cls('paper', 0)])).toEqual([]);
    expect(datasetHints([cls('rock', 1), cls('paper', 0)])).toEqual([
      { kind: 'few-photos', names: ['rock', 'paper'], needed: 10 },
    ]);
  });

  it('asks for the one recommended count (src/ml/photo-counts.ts)', () => {
    expect(datasetHints([cls('rock', RECOMMENDED_PHOTOS_PER_CLASS - 1), cls('paper', RECOMMENDED_PHOTOS_PER_CLASS)])).toEqual([
      { kind: 'few-photos', names: ['rock'], needed: RECOMMENDED_PHOTOS_PER_CLASS },
    ]);
  });

  it('names every class with fewer than 10 photos in one hint', () => {
    expect(datasetHints([cls('rock', 9), cls('paper', 10), cls('scissors', 0)])).toEqual([
      { kind: 'few-photos', names: ['rock', 'scissors'], needed: 10 },
    ]);
  });

  it('flags a class outnumbered more than 3 to 1, unless the few-photos hint already covers it', () => {
    expect(datasetHints([cls('rock', 10), cls('paper', 31)])).toEqual([
      { kind: 'unbalanced', small: 'rock', large: 'paper', smallCount: 10, largeCount: 31 },
    ]);
    expect(datasetHints([cls('rock', 10), cls('paper', 30)])).toEqual([]);
    expect(datasetHints([cls('rock', 5), cls('paper', 60)])).toEqual([{ kind: 'few-photos', names: ['rock'], needed: 10 }]);
  });
});

function run(accuracy: number | null, confusion: number[][], extra: Partial<RunSummary> = {}): RunSummary {
  const count = confusion.flat().reduce((a, b) => a + b, 0);
  return {
    classes: confusion.map((_, i) => ({ name: ['rock', 'paper', 'scissors'][i]! })),
    metrics: { validationAccuracy: accuracy, validationCount: count, confusion },
    ...extra,
  };
}

describe('modelHints', () => {
  it('says nothing for a model that learned something', () => {
    expect(
      modelHints(
        run(0.9, [
          [9, 1],
          [1, 9],
        ]),
      ),
    ).toEqual([]);
    expect(modelHints(null)).toEqual([]);
  });

  it('spots a model that gives the same answer for every held-back photo', () => {
    expect(
      modelHints(
        run(1 / 3, [
          [0, 2, 0],
          [0, 2, 0],
          [0, 2, 0],
        ]),
      ),
    ).toEqual([{ kind: 'same-answer', name: 'paper' }]);
    // Nearly every answer the same (90 % and more) counts too.
    expect(
      modelHints(
        run(11 / 20, [
          [10, 0],
          [9, 1],
        ]),
      ),
    ).toEqual([{ kind: 'same-answer', name: 'rock' }]);
  });

  it('spots a score near chance: 1 in the number of classes', () => {
    expect(
      modelHints(
        run(0.4, [
          [2, 1, 2],
          [1, 2, 2],
          [2, 1, 2],
        ]),
      ),
    ).toEqual([{ kind: 'guessing', accuracy: 0.4, chance: 1 / 3 }]);
    expect(
      modelHints(
        run(0.55, [
          [6, 4],
          [5, 5],
        ]),
      ),
    ).toEqual([{ kind: 'guessing', accuracy: 0.55, chance: 0.5 }]);
    expect(
      modelHints(
        run(0.6, [
          [6, 4],
          [4, 6],
        ]),
      ),
    ).toEqual([]);
  });

  it('stays quiet without an honest score, or for an imported model', () => {
    expect(
      modelHints(
        run(null, [
          [0, 0],
          [0, 0],
        ]),
      ),
    ).toEqual([]);
    expect(
      modelHints(
        run(
          0.5,
          [
            [1, 0],
            [1, 0],
          ],
          { imported: { fileName: 'x.zip' } },
        ),
      ),
    ).toEqual([]);
    expect(
      modelHints(
        run(0, [
          [0, 1],
          [0, 0],
        ]),
      ),
    ).toEqual([]); // one held-back photo proves nothing
  });
});
