import { describe, expect, it } from 'vitest';
import {
  heldBackOf,
  MIN_PHOTOS_TO_TRAIN,
  photoCountLevel,
  photosForHeldBack,
  RECOMMENDED_PHOTOS_PER_CLASS,
  TRUSTED_SCORE_PHOTOS,
} from './photo-counts';
import { stratifiedSplit } from './split';

describe('photo-count thresholds', () => {
  it('are one ladder: train at 2, learn well at 10, trust a score at 20 checked photos', () => {
    expect(MIN_PHOTOS_TO_TRAIN).toBe(2);
    expect(RECOMMENDED_PHOTOS_PER_CLASS).toBe(10);
    expect(TRUSTED_SCORE_PHOTOS).toBe(20);
    expect(MIN_PHOTOS_TO_TRAIN).toBeLessThan(RECOMMENDED_PHOTOS_PER_CLASS);
  });

  it('grades a class: empty before any photo, then cannot train, few, enough', () => {
    expect(photoCountLevel(0)).toBe('empty');
    expect(photoCountLevel(1)).toBe('cannot-train');
    expect(photoCountLevel(2)).toBe('few');
    expect(photoCountLevel(9)).toBe('few');
    expect(photoCountLevel(10)).toBe('enough');
  });

  it('the recommended count has photos held back at the default share, so the first training has a score', () => {
    expect(heldBackOf(RECOMMENDED_PHOTOS_PER_CLASS, 0.15)).toBe(2);
  });
});

describe('heldBackOf', () => {
  it('holds back what stratifiedSplit holds back, class by class', () => {
    for (const fraction of [0, 0.1, 0.15, 0.2, 0.5, 0.9]) {
      for (let n = 0; n <= 60; n++) {
        const split = stratifiedSplit(new Array<number>(n).fill(0), fraction, 7);
        expect(heldBackOf(n, fraction), `${n} photos at ${fraction}`).toBe(split.validation.length);
      }
    }
  });
});

describe('photosForHeldBack', () => {
  it('is the fewest photos for which that many are held back', () => {
    expect(photosForHeldBack(20, 0.15)).toBe(130);
    expect(heldBackOf(130, 0.15)).toBe(20);
    expect(heldBackOf(129, 0.15)).toBe(19);
    expect(photosForHeldBack(1, 0.15)).toBe(4);
    expect(photosForHeldBack(20, 0.5)).toBe(39);
    for (const fraction of [0.05, 0.15, 0.3, 0.5]) {
      for (let held = 1; held <= 25; held++) {
        const n = photosForHeldBack(held, fraction)!;
        expect(heldBackOf(n, fraction)).toBeGreaterThanOrEqual(held);
        expect(heldBackOf(n - 1, fraction)).toBeLessThan(held);
      }
    }
  });

  it('is null when nothing is ever held back, and 0 when none are needed', () => {
    expect(photosForHeldBack(20, 0)).toBeNull();
    expect(photosForHeldBack(0, 0)).toBe(0);
  });
});
