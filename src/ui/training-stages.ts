/**
 * Training progress as plain stages with the time left ("Preparing photos… 40 of 118", "Learning from your photos…
 * About 20 seconds left."), instead of epochs and losses (those stay behind "Details" on the Train screen). The
 * clock is pure: the screen feeds it the progress and the time, so the estimate is testable.
 */
import type { TrainProgress } from '../api/types';
import { formatNumber } from './i18n/format';
import { t } from './i18n/i18n';
import { messageText } from './i18n/messages';

/** When the current stage (phase and fold) started, and how far along it was then. */
export interface StageClock {
  stage: string;
  startedAt: number;
  startDone: number;
}

/** The stage a progress report belongs to: a new phase or fold starts a new clock. */
export function stageOf(progress: TrainProgress): string {
  return `${progress.phase}:${progress.fold?.index ?? 0}`;
}

/** The clock for this report: the previous one while the stage goes on, a new one when it changes. */
export function tickClock(previous: StageClock | null, progress: TrainProgress, now: number): StageClock {
  const stage = stageOf(progress);
  if (previous && previous.stage === stage && progress.done >= previous.startDone) return previous;
  return { stage, startedAt: now, startDone: progress.done };
}

/** Steps and seconds a stage must have run before its pace says anything. */
const MIN_STEPS = 2;
const MIN_SECONDS = 1;

/**
 * Seconds left in the stage at its pace so far; null until the pace can be trusted (two steps and a second in),
 * or when the stage is done.
 */
export function secondsLeft(clock: StageClock, done: number, total: number, now: number): number | null {
  const steps = done - clock.startDone;
  const seconds = (now - clock.startedAt) / 1000;
  if (steps < MIN_STEPS || seconds < MIN_SECONDS || done >= total) return null;
  return ((total - done) * seconds) / steps;
}

/** Rounded for reading: 5-second steps under a minute (at least 5), whole minutes after. */
export function roundedTimeLeft(seconds: number): { unit: 'second' | 'minute'; value: number } {
  if (seconds < 57.5) return { unit: 'second', value: Math.max(5, Math.round(seconds / 5) * 5) };
  return { unit: 'minute', value: Math.max(1, Math.round(seconds / 60)) };
}

/** "About 20 seconds left." or, when early stopping may end it sooner, "At most 20 seconds left…". */
export function timeLeftText(seconds: number | null, mayStopSooner: boolean): string | null {
  if (seconds === null || !Number.isFinite(seconds)) return null;
  const { unit, value } = roundedTimeLeft(seconds);
  const time = formatNumber(value, { style: 'unit', unit, unitDisplay: 'long' });
  return t(mayStopSooner ? 'train.stage.timeLeftAtMost' : 'train.stage.timeLeft', { time });
}

/**
 * The stage in plain words: getting ready, preparing photos (done of total), learning, checking a fold, or
 * learning once more from all photos.
 */
export function stageText(progress: TrainProgress | null): string {
  if (!progress) return t('train.starting');
  if (progress.phase === 'preparing') {
    if (progress.noticeMessage) return messageText(progress.noticeMessage);
    return progress.notice ?? t('train.preparing');
  }
  if (progress.phase === 'embedding')
    return t('train.preparingPhotos', { done: formatNumber(progress.done), total: formatNumber(progress.total) });
  if (progress.phase === 'refit') return t('train.stage.learningFromAll');
  if (progress.fold)
    return t('train.stage.checking', { fold: formatNumber(progress.fold.index), folds: formatNumber(progress.fold.count) });
  return t('train.stage.learning');
}
