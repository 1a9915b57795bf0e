import { describe, expect, it } from 'vitest';
import { currentTourStep, TOUR_PHOTOS_PER_CLASS as N, TOUR_STEP_COUNT } from './tour-steps';

describe('currentTourStep', () => {
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
});
