/**
 * Honest numbers in words: the verdict, the photos a score rests on, its range, how many photos to add and what to
 * do about a guessing model, in the current language. One place for these words, so the Train results, Evaluate,
 * the run history, the guided tour and the screen-reader announcement say the same thing. The rules are
 * src/ml/honest-score.ts (through src/api/domain.ts). Sentences with names and numbers come from ti(), each value
 * isolated for direction: show them with the kit's <BidiText>, or withoutIsolates() them for plain text.
 */
import {
  honestScore,
  honestScoreOfCounts,
  needsMorePhotos,
  photosForHeldBack,
  photosToAdd,
  TRUSTED_SCORE_PHOTOS,
  type HonestScore,
  type ScoredSet,
} from '../api/domain';
import type { RunRecord } from '../api/types';
import { isolate } from './i18n/bidi';
import { formatList, formatNumber, formatPercent } from './i18n/format';
import { t, ti } from './i18n/i18n';

export interface RunScore {
  score: HonestScore;
  set: ScoredSet;
}

type ScoredRun = Pick<RunRecord, 'metrics' | 'classes' | 'settings' | 'crossValidation' | 'imported' | 'status' | 'quantity'>;

/**
 * The score a run shows first: its held-back photos; after k-fold, the folds together (each photo checked once by a
 * model that did not learn from it); a 'no-score' one when neither. Null for an imported or unfinished run.
 */
export function runScore(run: ScoredRun): RunScore | null {
  // A "Predict a number" run has no right or wrong answers to count: it is scored by its errors (ValueResults).
  if (run.imported || run.status === 'running' || run.quantity) return null;
  const classCounts = run.classes.map((c) => c.count);
  const heldBack: ScoredSet = { kind: 'held-back', fraction: run.settings.validationFraction, classCounts };
  const cv = run.crossValidation;
  if (run.metrics.validationCount === 0 && cv?.accuracy && cv.folds.length) {
    const right = cv.folds.reduce((sum, f) => sum + Math.round(f.accuracy * f.validationCount), 0);
    return { score: honestScoreOfCounts(right, classCounts), set: { kind: 'cross-validation' } };
  }
  return { score: honestScore(run.metrics.confusion), set: heldBack };
}

const quoted = (name: string) => t('hints.quoted', { name: isolate(name) });
const nameOf = (names: readonly string[], i: number) => quoted(names[i] ?? t('metrics.classN', { n: formatNumber(i + 1) }));

/** "Recognises 9 of 10 photos it has not seen; mixes up “roses” and “tulips” most.", or why it cannot say so. */
export function verdictText(score: HonestScore, names: readonly string[]): string {
  const counts = { right: formatNumber(score.right), count: score.total };
  switch (score.verdict) {
    case 'no-score':
      return t('score.verdict.noScore');
    case 'one-answer':
      return ti('score.verdict.oneAnswer', {
        name: nameOf(names, score.oneAnswer!.classIndex),
        answered: formatNumber(score.oneAnswer!.count),
        count: score.total,
      });
    case 'guessing':
      return ti('score.verdict.guessing', { ...counts, chance: formatPercent(score.chance, 0) });
    case 'too-few':
      return ti('score.verdict.tooFew', counts);
    case 'uncertain':
    case 'trusted': {
      const mix = score.mixedUp;
      if (!mix) return ti('score.verdict.good', counts);
      return ti('score.verdict.goodMixed', { ...counts, a: nameOf(names, mix.a), b: nameOf(names, mix.b) });
    }
  }
}

/** True when the verdict is a warning (guessing, or too few photos to tell), not good news. */
export function isWarning(score: HonestScore): boolean {
  return score.verdict !== 'uncertain' && score.verdict !== 'trusted';
}

/** "9 of 10 held-back photos right" (or test photos, or photos across the folds); null without photos. */
export function restsOnText(score: HonestScore, set: ScoredSet): string | null {
  if (score.total === 0) return null;
  const key = set.kind === 'held-back' ? 'heldBack' : set.kind === 'test' ? 'test' : 'crossValidation';
  return ti(`score.restsOn.${key}`, { right: formatNumber(score.right), count: score.total });
}

/** "With so few photos to check on, the real score is probably between 61% and 100%.": only when photos are short. */
export function rangeText(score: HonestScore): string | null {
  if (!needsMorePhotos(score) || !score.interval) return null;
  return ti('score.range', { low: formatPercent(score.interval.low, 0), high: formatPercent(score.interval.high, 0) });
}

/** How many photos to add (and to which classes) for a score you can trust, or to get a score at all. */
export function addPhotosText(score: HonestScore, set: ScoredSet, names: readonly string[]): string | null {
  if (score.verdict === 'no-score') {
    if (set.kind !== 'held-back') return null;
    const least = photosForHeldBack(1, set.fraction);
    return least === null ? t('score.add.noneHeldBack') : ti('score.add.toHoldBack', { count: least });
  }
  const add = photosToAdd(score, set);
  if (!add) return null;
  const classes =
    add.classes.length === score.perClass.length && add.classes.length > 1
      ? t('score.eachClass')
      : formatList(add.classes.map((i) => nameOf(names, i)));
  const key = set.kind === 'held-back' ? 'heldBack' : set.kind === 'test' ? 'test' : 'crossValidation';
  return ti(`score.add.${key}`, { count: add.count, classes, trusted: formatNumber(TRUSTED_SCORE_PHOTOS) });
}

/** What to do about a model that guesses; null otherwise. */
export function guessingAdviceText(score: HonestScore, names: readonly string[]): string | null {
  if (score.verdict === 'one-answer') return ti('score.advice.oneAnswer', { name: nameOf(names, score.oneAnswer!.classIndex) });
  if (score.verdict === 'guessing') return t('score.advice.guessing');
  return null;
}

/** A short tag for a table cell: "guessing", "few photos to tell", or null for a score to go by. */
export function scoreTag(score: HonestScore): string | null {
  if (score.verdict === 'one-answer' || score.verdict === 'guessing') return t('score.tag.guessing');
  if (score.verdict === 'too-few' || needsMorePhotos(score)) return t('score.tag.fewPhotos');
  return null;
}
