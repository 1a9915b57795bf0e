/**
 * The guided first project ("Teach it rock, paper, scissors with your hand"): its steps and which one the person is
 * on. The step follows from the project itself, so it is right after a reload, in another tab, or when the person
 * did a step their own way. Pure; the panel is src/ui/components/GuidedTour.svelte.
 */

/** Photos each class needs before the tour moves on: enough to train, few enough to take in seconds. */
export const TOUR_PHOTOS_PER_CLASS = 5;
/** The classes the tour makes, in order (their shown names come from the messages, tour.classes.*). */
export const TOUR_CLASSES = ['rock', 'paper', 'scissors'] as const;
export const TOUR_STEP_COUNT = TOUR_CLASSES.length + 2;

export type TourStep =
  | { kind: 'photos'; number: number; classIndex: number; count: number }
  | { kind: 'train'; number: number }
  | { kind: 'preview'; number: number }
  | { kind: 'done'; number: number };

export interface TourProgress {
  /** Training photos of the project's classes, in class order. */
  counts: readonly number[];
  trained: boolean;
  /** At least one photo was tried in Preview. */
  previewed: boolean;
}

/** The first step not done yet (1-based `number`); 'done' once all are. */
export function currentTourStep(progress: TourProgress): TourStep {
  for (let i = 0; i < TOUR_CLASSES.length; i++) {
    const count = progress.counts[i] ?? 0;
    if (count < TOUR_PHOTOS_PER_CLASS) return { kind: 'photos', number: i + 1, classIndex: i, count };
  }
  if (!progress.trained) return { kind: 'train', number: TOUR_CLASSES.length + 1 };
  if (!progress.previewed) return { kind: 'preview', number: TOUR_CLASSES.length + 2 };
  return { kind: 'done', number: TOUR_STEP_COUNT };
}
