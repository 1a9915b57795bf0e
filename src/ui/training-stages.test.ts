import { afterEach, describe, expect, it } from 'vitest';
import type { TrainProgress } from '../api/types';
import { setLanguage } from './i18n/i18n';
import { roundedTimeLeft, secondsLeft, stageText, tickClock, timeLeftText } from './training-stages';

afterEach(() => setLanguage('en'));

const at = (p: Partial<TrainProgress>): TrainProgress => ({
  phase: 'training',
  done: 0,
  total: 100,
  epoch: null,
  fold: null,
  notice: null,
  ...p,
});

describe('stageText', () => {
  it('names the stage in plain words, without epochs or losses', () => {
    expect(stageText(null)).toBe('Starting…');
    expect(stageText(at({ phase: 'embedding', done: 40, total: 118 }))).toBe('Preparing photos: 40 of 118');
    const epoch = { epoch: 2, loss: 0.4, accuracy: 0.8, valLoss: 0.5, valAccuracy: 0.7 };
    expect(stageText(at({ done: 2, epoch }))).toBe('Learning from your photos…');
    expect(stageText(at({ phase: 'fold', fold: { index: 2, count: 5 }, epoch }))).toBe(
      'Checking how well it learns, on part 2 of 5 of the photos…',
    );
    expect(stageText(at({ phase: 'refit', done: 3, total: 9, epoch }))).toBe('Learning once more, now from all your photos…');
    expect(stageText(at({ phase: 'preparing', notice: 'Downloading MobileNetV2 (first use only)…' }))).toBe(
      'Downloading MobileNetV2 (first use only)…',
    );
  });
});

describe('the time left', () => {
  it('keeps one clock per stage, and starts a new one with each phase or fold', () => {
    const first = tickClock(null, at({ phase: 'embedding', done: 0, total: 50 }), 1000);
    expect(tickClock(first, at({ phase: 'embedding', done: 10, total: 50 }), 2000)).toBe(first);
    const learning = tickClock(first, at({ done: 1 }), 3000);
    expect(learning).toEqual({ stage: 'training:0', startedAt: 3000, startDone: 1 });
    const fold = tickClock(null, at({ phase: 'fold', fold: { index: 1, count: 3 }, done: 5 }), 0);
    expect(tickClock(fold, at({ phase: 'fold', fold: { index: 2, count: 3 }, done: 1 }), 10).startedAt).toBe(10);
  });

  it('estimates from the pace so far, once there is a pace to go by', () => {
    const clock = { stage: 'training:0', startedAt: 0, startDone: 0 };
    expect(secondsLeft(clock, 1, 100, 5000)).toBeNull(); // one step says little
    expect(secondsLeft(clock, 5, 100, 500)).toBeNull(); // nor does half a second
    expect(secondsLeft(clock, 10, 100, 2000)).toBeCloseTo(18);
    expect(secondsLeft(clock, 100, 100, 2000)).toBeNull();
  });

  it('rounds for reading: 5-second steps, then whole minutes', () => {
    expect(roundedTimeLeft(1)).toEqual({ unit: 'second', value: 5 });
    expect(roundedTimeLeft(18)).toEqual({ unit: 'second', value: 20 });
    expect(roundedTimeLeft(58)).toEqual({ unit: 'minute', value: 1 });
    expect(roundedTimeLeft(150)).toEqual({ unit: 'minute', value: 3 });
  });

  it('says "about", or "at most" when early stopping may end it sooner, in the current language', () => {
    expect(timeLeftText(18, false)).toBe('About 20 seconds left.');
    expect(timeLeftText(150, true)).toBe('At most 3 minutes left; it often finishes sooner.');
    expect(timeLeftText(null, false)).toBeNull();
    setLanguage('es');
    expect(timeLeftText(18, false)).toBe('Faltan unos 20 segundos.');
    setLanguage('ar');
    expect(timeLeftText(18, false)).not.toMatch(/[A-Za-z]/);
  });
});
