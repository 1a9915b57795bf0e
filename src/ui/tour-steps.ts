/**
 * The guided first project ("Teach it rock, paper, scissors with your hand"): its steps and which one the person is
 * on. The step follows from the project itself, so it is right after a reload, in another tab, or when the person
 * did a step their own way. Pure; the panel is src/ui/components/GuidedTour.svelte.
 *
 * The tour congratulates only a model that really tells the shapes apart on photos it has not seen (the honest
 * score, src/ml/honest-score.ts); otherwise its step says what to do (add photos, vary them) and train again.
 */
import { RECOMMENDED_PHOTOS_PER_CLASS, tellsApart, type HonestScore } from '../api/domain';

/** Photos each class needs before the tour moves on: Kiln's one recommended count (src/ml/photo-counts.ts). */
export const TOUR_PHOTOS_PER_CLASS = RECOMMENDED_PHOTOS_PER_CLASS;
/** The classes the tour makes, in order (their shown names come from the messages, tour.classes.*). */
export const TOUR_CLASSES = ['rock', 'paper', 'scissors'] as const;
export const TOUR_STEP_COUNT = TOUR_CLASSES.length + 2;

/** Why a trained model is not good enough yet: it guesses, or there are too few photos to tell. */
export type TourImprove = 'one-answer' | 'guessing' | 'too-few';

export type TourStep =
  | { kind: 'photos'; number: number; classIndex: number; count: number }
  | { kind: 'train'; number: number }
  /** Trained, but the model does not tell the shapes apart yet: add photos and train again (the train step). */
  | { kind: 'improve'; number: number; reason: TourImprove }
  | { kind: 'preview'; number: number }
  | { kind: 'done'; number: number };

export interface TourProgress {
  /** Training photos of the project's classes, in class order. */
  counts: readonly number[];
  trained: boolean;
  /**
   * The active model's honest score on its held-back photos; null when it has none to judge by (an imported model),
   * which the tour does not hold back.
   */
  score?: HonestScore | null;
  /** At least one photo was tried in Preview. */
  previewed: boolean;
}

/** The first step not done yet (1-based `number`); 'done' once all are. */
export function currentTourStep(progress: TourProgress): TourStep {
  for (let i = 0; i < TOUR_CLASSES.length; i++) {
    const count = progress.counts[i] ?? 0;
    if (count < TOUR_PHOTOS_PER_CLASS) return { kind: 'photos', number: i + 1, classIndex: i, count };
  }
  const trainStep = TOUR_CLASSES.length + 1;
  if (!progress.trained) return { kind: 'train', number: trainStep };
  const score = progress.score ?? null;
  if (score && !tellsApart(score)) return { kind: 'improve', number: trainStep, reason: improveReason(score) };
  if (!progress.previewed) return { kind: 'preview', number: TOUR_CLASSES.length + 2 };
  return { kind: 'done', number: TOUR_STEP_COUNT };
}

function improveReason(score: HonestScore): TourImprove {
  if (score.verdict === 'one-answer') return 'one-answer';
  if (score.verdict === 'guessing') return 'guessing';
  return 'too-few';
}
