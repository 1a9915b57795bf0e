/** The crop modes a project can use, and the helpers every path (worker, export, demo page) shares. */
import type { CropMode, RunRecord } from './types';

export const CROP_MODES: readonly CropMode[] = ['center', 'pad'];

/**
 * The padding colour of 'pad' mode: mid grey, RGB 128. After MobileNet's scaling (x / 127.5 − 1 or
 * x / 127 − 1) it is about 0, the value the network's own zero padding feeds its convolutions, so the bars
 * carry no signal. Black or white would be extreme values that a model could tie to dark or bright
 * classes; an edge-mean colour would differ per photo and is harder to reproduce in other runtimes.
 */
export const PAD_GREY = 128;
export const PAD_COLOUR = `rgb(${PAD_GREY}, ${PAD_GREY}, ${PAD_GREY})`;

export function isCropMode(value: unknown): value is CropMode {
  return typeof value === 'string' && (CROP_MODES as readonly string[]).includes(value);
}

/** The mode a run's model was trained with: runs from before the choice existed were centre-cropped. */
export function runCropMode(run: Pick<RunRecord, 'cropMode'>): CropMode {
  return run.cropMode ?? 'center';
}
