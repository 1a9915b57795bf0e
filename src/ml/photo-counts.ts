/**
 * How many photos Kiln asks for: the one rule behind every screen, tip, the guided tour, the health check, the
 * training refusal and the honest score (src/ml/honest-score.ts). Pure and tf-free; the page reads it through
 * src/api/domain.ts.
 *
 * In words, everywhere: a class needs at least MIN_PHOTOS_TO_TRAIN photos to train, RECOMMENDED_PHOTOS_PER_CLASS
 * or more (taken in different places and lights) to learn well, and a score can be trusted once each class has
 * TRUSTED_SCORE_PHOTOS photos held back (or marked "test only") to check it on.
 */

/** Fewer photos than this in a class and training is refused: one to learn from is not a class. */
export const MIN_PHOTOS_TO_TRAIN = 2;

/**
 * Photos per class Kiln recommends: below it the tips, the health check and the class cards say "too few", and
 * the guided tour asks for this many. Ten also makes the default split (15 %) hold two photos of each class back,
 * so the first training already has a score, however rough.
 */
export const RECOMMENDED_PHOTOS_PER_CLASS = 10;

/**
 * Held-back or test photos per class for a score to be trusted. Below it a score shows its range (a 95 % interval)
 * and says how many photos to add. Why 20: a class scored 100 % on 20 photos is still at least 84 % (on 6 photos,
 * only 61 %), and with two classes 18 of 20 each (36 of 40, 90 %) ranges over 77–96 %, narrow enough to tell a good model from a weak one.
 */
export const TRUSTED_SCORE_PHOTOS = 20;

/** How far a class is from the recommended count: 'empty' before any photo, then 'cannot-train', 'few', 'enough'. */
export type PhotoCountLevel = 'empty' | 'cannot-train' | 'few' | 'enough';

export function photoCountLevel(count: number): PhotoCountLevel {
  if (count <= 0) return 'empty';
  if (count < MIN_PHOTOS_TO_TRAIN) return 'cannot-train';
  if (count < RECOMMENDED_PHOTOS_PER_CLASS) return 'few';
  return 'enough';
}

/**
 * Photos the split holds back from a class of `count` at this validation share: the same rounding as
 * stratifiedSplit (src/ml/split.ts): at least one from a class of four or more, never the whole class.
 */
export function heldBackOf(count: number, fraction: number): number {
  if (!(fraction > 0) || count <= 1) return 0;
  let take = Math.round(count * fraction);
  if (take === 0 && count >= 4) take = 1;
  return Math.min(take, count - 1);
}

/** The fewest photos a class needs for `held` of them to be held back at this share; null when none ever are. */
export function photosForHeldBack(held: number, fraction: number): number | null {
  if (held <= 0) return 0;
  if (!(fraction > 0) || fraction >= 1) return null;
  let n = Math.max(held + 1, Math.floor((held - 0.5) / fraction));
  while (heldBackOf(n, fraction) < held) n++;
  while (n > 1 && heldBackOf(n - 1, fraction) >= held) n--;
  return n;
}
