/**
 * Honest numbers: what a score on held-back (or test) photos can and cannot say. Every score comes with the
 * photos it rests on ("9 of 10 right"); on fewer than TRUSTED_SCORE_PHOTOS photos of a class it comes with its
 * 95 % range (Wilson score interval) and how many photos to add; a model that gives (nearly) one answer to
 * everything, or scores no better than picking at random, is called guessing. Pure and tf-free: the page reads it
 * through src/api/domain.ts (Train results, Evaluate, the run history, the tips and the guided tour).
 */
import { heldBackOf, photosForHeldBack, TRUSTED_SCORE_PHOTOS } from './photo-counts';

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

/** One answer for at least this share of the photos (and for most photos of the other classes) is guessing. */
export const ONE_ANSWER_SHARE = 0.9;

/**
 * A score within this share of the way from chance to perfect is still guessing: with 3 classes chance is 33 %,
 * so anything under 33 % + 0.15 × 67 % ≈ 43 % counts.
 */
export const GUESSING_MARGIN = 0.15;

export interface Interval {
  low: number;
  high: number;
}

/**
 * The 95 % Wilson score interval of `right` successes in `total` tries; null for no tries. Unlike the plain
 * p ± 1.96·√(p(1−p)/n) it stays inside [0, 1] and does not shrink to nothing at 0 % or 100 % on few photos:
 * 6 of 6 right gives 61 %–100 %, not 100 %–100 %.
 */
export function wilsonInterval(right: number, total: number, z: number = Z_95): Interval | null {
  if (!(total > 0)) return null;
  const p = Math.min(1, Math.max(0, right / total));
  const z2 = z * z;
  const centre = p + z2 / (2 * total);
  const spread = z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  const scale = 1 + z2 / total;
  // At 0 % and 100 % one end is exactly 0 or 1; computed, it can miss by a rounding error.
  return {
    low: right <= 0 ? 0 : Math.max(0, (centre - spread) / scale),
    high: right >= total ? 1 : Math.min(1, (centre + spread) / scale),
  };
}

/**
 * What a score says, most serious first:
 * - 'no-score': no photos to check the model on;
 * - 'one-answer': (nearly) the same answer for every photo: guessing;
 * - 'guessing': about what picking a class at random would score;
 * - 'too-few': better than random on its face, but on so few photos that luck could explain it;
 * - 'uncertain': better than random, but some class has fewer than TRUSTED_SCORE_PHOTOS photos to check on, so
 *   the score comes with its range;
 * - 'trusted': better than random, on enough photos of every class.
 */
export type ScoreVerdict = 'no-score' | 'one-answer' | 'guessing' | 'too-few' | 'uncertain' | 'trusted';

export interface HonestScore {
  verdict: ScoreVerdict;
  /** Photos answered right, of `total`. */
  right: number;
  total: number;
  /** right / total; null without photos. */
  accuracy: number | null;
  /** Its 95 % range; null without photos. */
  interval: Interval | null;
  /** What picking a class at random scores: 1 / classes. */
  chance: number;
  /** Photos of each class the score rests on, in class order. */
  perClass: number[];
  /** Classes (indices) with fewer than TRUSTED_SCORE_PHOTOS photos to check on. */
  shortClasses: number[];
  /** For 'one-answer': the class it answers (nearly) everything with, and how many photos got that answer. */
  oneAnswer: { classIndex: number; count: number } | null;
  /** The two classes it mixes up most (either way round), and how many photos; null without mistakes. */
  mixedUp: { a: number; b: number; count: number } | null;
}

/** True when a score says the model really tells the classes apart (it may still be uncertain). */
export function tellsApart(score: HonestScore | null): boolean {
  return score !== null && (score.verdict === 'uncertain' || score.verdict === 'trusted');
}

/** True when a score is to be shown with its range and how many photos to add. */
export function needsMorePhotos(score: HonestScore | null): boolean {
  return score !== null && score.total > 0 && score.shortClasses.length > 0;
}

/** The honest reading of a confusion matrix, confusion[true][predicted] (counts). */
export function honestScore(confusion: readonly (readonly number[])[]): HonestScore {
  const perClass = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const total = perClass.reduce((a, b) => a + b, 0);
  const right = confusion.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
  const oneAnswer = total > 0 ? oneAnswerOf(confusion, perClass, total) : null;
  return judge(right, perClass, oneAnswer, mostMixedUp(confusion));
}

/**
 * The honest reading of a score known only as photos right of photos per class (cross-validation keeps no
 * confusion matrix): the same rules, without the one-answer check or the classes mixed up.
 */
export function honestScoreOfCounts(right: number, perClass: readonly number[]): HonestScore {
  return judge(right, [...perClass], null, null);
}

function judge(
  right: number,
  perClass: number[],
  oneAnswer: HonestScore['oneAnswer'],
  mixedUp: HonestScore['mixedUp'],
): HonestScore {
  const k = perClass.length;
  const total = perClass.reduce((a, b) => a + b, 0);
  const chance = k > 0 ? 1 / k : 1;
  const base = {
    right,
    total,
    accuracy: total > 0 ? right / total : null,
    interval: wilsonInterval(right, total),
    chance,
    perClass,
    shortClasses: perClass.flatMap((n, i) => (n < TRUSTED_SCORE_PHOTOS ? [i] : [])),
    oneAnswer: null,
    mixedUp,
  };
  if (total === 0 || k < 2) return { ...base, verdict: 'no-score' };
  if (oneAnswer) return { ...base, oneAnswer, verdict: 'one-answer' };
  if (right / total < chance + GUESSING_MARGIN * (1 - chance)) return { ...base, verdict: 'guessing' };
  if (base.interval!.low <= chance) return { ...base, verdict: 'too-few' };
  return { ...base, verdict: base.shortClasses.length ? 'uncertain' : 'trusted' };
}

/**
 * The class given as the answer to at least ONE_ANSWER_SHARE of the photos and to most photos of the other classes
 * (so a right answer on a lopsided set is not mistaken for one), when the photos are of two classes or more.
 */
function oneAnswerOf(
  confusion: readonly (readonly number[])[],
  perClass: readonly number[],
  total: number,
): { classIndex: number; count: number } | null {
  if (perClass.filter((n) => n > 0).length < 2) return null;
  const answered = confusion.map((_, p) => confusion.reduce((sum, row) => sum + (row[p] ?? 0), 0));
  const top = answered.indexOf(Math.max(...answered));
  const count = answered[top]!;
  const others = total - perClass[top]!;
  const othersAnsweredTop = count - (confusion[top]?.[top] ?? 0);
  if (count >= ONE_ANSWER_SHARE * total && others > 0 && othersAnsweredTop * 2 > others) return { classIndex: top, count };
  return null;
}

/** The pair of classes with the most photos taken one for the other, either way round; ties go to the first pair. */
function mostMixedUp(confusion: readonly (readonly number[])[]): { a: number; b: number; count: number } | null {
  let best: { a: number; b: number; count: number } | null = null;
  for (let a = 0; a < confusion.length; a++) {
    for (let b = a + 1; b < confusion.length; b++) {
      const count = (confusion[a]?.[b] ?? 0) + (confusion[b]?.[a] ?? 0);
      if (count > 0 && (!best || count > best.count)) best = { a, b, count };
    }
  }
  return best;
}

/** The photos a score was made on: held back by the split, marked "test only", or every photo once (k-fold). */
export type ScoredSet =
  { kind: 'held-back'; fraction: number; classCounts: readonly number[] } | { kind: 'test' } | { kind: 'cross-validation' };

/**
 * Photos to add for a trusted score, for the classes that are short of photos to check on: at most one number,
 * the largest over those classes, so the advice reads "add about N more photos to rock and paper".
 * - held-back photos: each class needs enough photos in all that the split holds TRUSTED_SCORE_PHOTOS back at
 *   `fraction` (`classCounts`: each class's training and held-back photos);
 * - test photos: each class needs TRUSTED_SCORE_PHOTOS photos marked "test only";
 * - cross-validation: every photo is checked once, so each class needs TRUSTED_SCORE_PHOTOS photos.
 * Null when nothing is short, or when no photos are held back at this share.
 */
export function photosToAdd(score: HonestScore, set: ScoredSet): { count: number; classes: number[] } | null {
  if (score.shortClasses.length === 0) return null;
  let count = 0;
  const classes: number[] = [];
  for (const i of score.shortClasses) {
    let add: number;
    if (set.kind !== 'held-back') add = TRUSTED_SCORE_PHOTOS - (score.perClass[i] ?? 0);
    else {
      const needed = photosForHeldBack(TRUSTED_SCORE_PHOTOS, set.fraction);
      if (needed === null) return null;
      const have = set.classCounts[i] ?? 0;
      // A class whose photos already suffice (e.g. some were deleted from the record since) needs none.
      add = heldBackOf(have, set.fraction) >= TRUSTED_SCORE_PHOTOS ? 0 : needed - have;
    }
    if (add > 0) {
      classes.push(i);
      count = Math.max(count, add);
    }
  }
  return classes.length ? { count, classes } : null;
}
