/**
 * Where a photo lands in the model's square input, for both crop modes. Pure arithmetic, so the worker's
 * canvas drawing (workers/pixels.ts), the demo page's copy of it and the tests agree on every number.
 */
import type { CropMode } from '../api/types';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A crop of the frame square, as fractions of its side (augment.ts AugmentationParams['crop']). */
export interface FrameCrop {
  x: number;
  y: number;
  size: number;
}

export const WHOLE_FRAME: FrameCrop = { x: 0, y: 0, size: 1 };

/**
 * The square of the photo the model sees, in the photo's pixels. 'center': the largest centred square
 * inside the photo. 'pad': the smallest centred square around it, reaching past two of its edges (the
 * part outside the photo becomes padding).
 */
export function frameSquare(width: number, height: number, mode: CropMode): Rect {
  const side = mode === 'pad' ? Math.max(width, height) : Math.min(width, height);
  return { x: (width - side) / 2, y: (height - side) / 2, width: side, height: side };
}

/**
 * The drawImage arguments that put `region` of a width × height photo onto `dest`: the region is clipped
 * to the photo and the destination shrinks in proportion, so nothing outside the photo is sampled (what
 * is left of `dest` shows the padding). Null when the region misses the photo entirely.
 */
export function clipToImage(width: number, height: number, region: Rect, dest: Rect): { source: Rect; dest: Rect } | null {
  const scaleX = dest.width / region.width;
  const scaleY = dest.height / region.height;
  const left = Math.max(region.x, 0);
  const top = Math.max(region.y, 0);
  const right = Math.min(region.x + region.width, width);
  const bottom = Math.min(region.y + region.height, height);
  if (right <= left || bottom <= top) return null;
  return {
    source: { x: left, y: top, width: right - left, height: bottom - top },
    dest: {
      x: dest.x + (left - region.x) * scaleX,
      y: dest.y + (top - region.y) * scaleY,
      width: (right - left) * scaleX,
      height: (bottom - top) * scaleY,
    },
  };
}

/**
 * Source and destination rectangles that draw a photo as the model sees it: the frame square for `mode`,
 * cropped to `crop` (an augmented view crops inside the padded square too), drawn onto `dest`.
 */
export function modelDrawRects(
  width: number,
  height: number,
  mode: CropMode,
  dest: Rect,
  crop: FrameCrop = WHOLE_FRAME,
): { source: Rect; dest: Rect } | null {
  const frame = frameSquare(width, height, mode);
  const side = frame.width;
  const region = { x: frame.x + crop.x * side, y: frame.y + crop.y * side, width: crop.size * side, height: crop.size * side };
  return clipToImage(width, height, region, dest);
}
