/**
 * When to suggest more than the defaults: a larger image model when the photos are hard and the device can
 * afford it, and a word against fine-tuning where it cannot pay off. Pure and tf-free (the page reads it
 * through src/api/domain.ts); the thresholds come from `npm run bench:quality` (docs/TRAINING.md).
 */
import { DEFAULT_BACKBONE, MOBILENET_V3_SMALL } from './backbone-catalogue';
import { RECOMMENDED_PHOTOS_PER_CLASS } from './photo-counts';

/** The larger model Kiln suggests: the most accurate MobileNetV2 in the catalogue. */
export const LARGER_BACKBONE_ID = 'mobilenet-v2-1.00-224';

/** How many times longer MobileNetV2 1.00 takes than 0.35 (or MobileNetV3-Small) to embed a photo (bench/results/quality.json). */
export const LARGER_BACKBONE_SLOWDOWN = 3;

/**
 * What Kiln suggests after each model, best first, with its cost against the run's own pace: MobileNetV3-Small
 * (where this build offers it) takes the default's time and scored 0.6 to 6.3 points higher in the study (bench:quality), so it
 * comes first; MobileNetV2 1.00 gains more at three times the time.
 */
const NEXT_MODELS: Record<string, readonly { id: string; slowdown: number }[]> = {
  [DEFAULT_BACKBONE.id]: [
    { id: MOBILENET_V3_SMALL.id, slowdown: 1 },
    { id: LARGER_BACKBONE_ID, slowdown: LARGER_BACKBONE_SLOWDOWN },
  ],
  [MOBILENET_V3_SMALL.id]: [{ id: LARGER_BACKBONE_ID, slowdown: LARGER_BACKBONE_SLOWDOWN }],
};

/** Below this score the photos are "hard": where the larger model gained most in the study. */
export const HARD_SCORE = 0.9;

/** The longest the larger model's first preparation of the photos may take for Kiln to suggest it. */
export const AFFORDABLE_SECONDS = 5 * 60;

/**
 * Fewer photos than this in a class and fine-tuning the last blocks rarely helps: it then mostly learns the
 * few photos by heart, at many times the time of training the head.
 */
export const FINE_TUNE_USEFUL_PHOTOS = 30;

export interface LargerModelAdvice {
  backboneId: string;
  /** Estimated seconds to prepare the photos with it on this device (the first training only). */
  seconds: number;
}

export interface RunForAdvice {
  backboneId: string;
  /** The run's honest score (held-back or cross-validated), or null without one. */
  accuracy: number | null;
  /** Photos in the smallest class. */
  smallestClass: number;
  /** Pictures to prepare: photos × (1 + augmented copies). */
  pictures: number;
  /** This device's pace with the run's model, pictures per second; null when the run measured none. */
  imagesPerSecond: number | null;
}

/**
 * Suggests a better model after a training whose score says the photos are hard, with enough photos that more
 * photos are not the first fix, on a device that prepares them in a few minutes (and is not a phone, where memory
 * is short): MobileNetV3-Small after the default when `offered` has it, else (or after it) MobileNetV2 1.00.
 * `offered`: the ids the studio offers on this device (MobileNetV3-Small only where a build brought it along).
 */
export function largerModelAdvice(run: RunForAdvice, lowMemory: boolean, offered: readonly string[]): LargerModelAdvice | null {
  const next = NEXT_MODELS[run.backboneId];
  if (!next || lowMemory) return null;
  if (run.accuracy === null || run.accuracy >= HARD_SCORE) return null;
  if (run.smallestClass < RECOMMENDED_PHOTOS_PER_CLASS || !run.imagesPerSecond) return null;
  const model = next.find((m) => offered.includes(m.id));
  if (!model) return null;
  const seconds = (run.pictures * model.slowdown) / run.imagesPerSecond;
  return seconds <= AFFORDABLE_SECONDS ? { backboneId: model.id, seconds } : null;
}

/** True when fine-tuning is asked for but a class has too few photos for it to pay off. */
export function fineTuningWillNotHelp(fineTuneBlocks: number, smallestClass: number): boolean {
  return fineTuneBlocks > 0 && smallestClass < FINE_TUNE_USEFUL_PHOTOS;
}
