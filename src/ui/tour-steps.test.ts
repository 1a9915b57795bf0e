import { describe, expect, it } from 'vitest';
import { honestScore, RECOMMENDED_PHOTOS_PER_CLASS } from '../api/domain';
import { currentTourStep, TOUR_PHOTOS_PER_CLASS as N, TOUR_STEP_COUNT } from './tour-steps';

/** Held-back photos of rock, paper and scissors: [true][answered]. */
const good = honestScore([
  [2, 0, 0],
  [0, 2, 0],
  [0, 0, 2],
]);
const allRock = honestScore([
  [2, 0, 0],
  [2, 0, 0],
  [2, 0, 0],
]);
const coinToss = honestScore([
  [1, 1, 0],
  [1, 0, 1],
  [0, 1, 1],
]);

describe('currentTourStep', () => {
  it("asks for Kiln's one recommended count of photos per class", () => {
    expect(N).toBe(RECOMMENDED_PHOTOS_PER_CLASS);
  });

  it('starts with photos of the first class', () => {
    expect(currentTourStep({ counts: [], trained: false, previewed: false })).toEqual({
      kind: 'photos',
      number: 1,
      classIndex: 0,
      count: 0,
    });
  });

  it('moves to the next class once a class has enough photos', () => {
    expect(currentTourStep({ counts: [N, N - 1, 0], trained: false, previewed: false })).toMatchObject({
      kind: 'photos',
      number: 2,
      count: N - 1,
    });
    expect(currentTourStep({ counts: [N, N, 0], trained: false, previewed: false })).toMatchObject({ number: 3, classIndex: 2 });
  });

  it('then asks to train, then to try Preview, then is done', () => {
    expect(currentTourStep({ counts: [N, N, N], trained: false, previewed: false })).toEqual({ kind: 'train', number: 4 });
    expect(currentTourStep({ counts: [N, N, N], trained: true, previewed: false })).toEqual({ kind: 'preview', number: 5 });
    expect(currentTourStep({ counts: [N, N, N], trained: true, previewed: true })).toEqual({ kind: 'done', number: 5 });
    expect(TOUR_STEP_COUNT).toBe(5);
  });

  it('goes back a step when photos are removed after training', () => {
    expect(currentTourStep({ counts: [N, 1, N], trained: true, previewed: true })).toMatchObject({ kind: 'photos', number: 2 });
  });

  it('congratulates only a model that tells the shapes apart on photos it has not seen', () => {
    const trained = { counts: [N, N, N], trained: true };
    expect(currentTourStep({ ...trained, score: good, previewed: false })).toEqual({ kind: 'preview', number: 5 });
    expect(currentTourStep({ ...trained, score: good, previewed: true })).toEqual({ kind: 'done', number: 5 });
    // A model that answers "rock" to everything: back to the train step, saying what to do.
    expect(currentTourStep({ ...trained, score: allRock, previewed: true })).toEqual({
      kind: 'improve',
      number: 4,
      reason: 'one-answer',
    });
    expect(currentTourStep({ ...trained, score: coinToss, previewed: false })).toMatchObject({
      kind: 'improve',
      reason: 'guessing',
    });
    const unsure = honestScore([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ]);
    expect(currentTourStep({ ...trained, score: unsure, previewed: false })).toMatchObject({
      kind: 'improve',
      reason: 'too-few',
    });
    // No held-back photos at all: too few to tell.
    expect(
      currentTourStep({
        ...trained,
        score: honestScore([
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
        ]),
        previewed: false,
      }),
    ).toMatchObject({
      kind: 'improve',
      reason: 'too-few',
    });
  });
});
