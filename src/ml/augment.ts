import type { AugmentationSettings } from '../api/settings';
import { seededRandom } from './random';

/** One augmented view's transform. Geometry is drawn by the worker's canvas; colour is applied here. */
export interface AugmentationParams {
  flip: boolean;
  /** Rotation in degrees. */
  angle: number;
  /** Crop of the centred square, as fractions of its side: x, y, size. */
  crop: { x: number; y: number; size: number };
  brightness: number;
  contrast: number;
  saturation: number;
}

export const IDENTITY: AugmentationParams = {
  flip: false,
  angle: 0,
  crop: { x: 0, y: 0, size: 1 },
  brightness: 1,
  contrast: 1,
  saturation: 1,
};

const MAX_ANGLE = 15;
const MIN_CROP = 0.7;
const JITTER = 0.25;

/** A deterministic number from a string (FNV-1a), to seed each photo's views differently. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The transform of view `view` (1-based) of one photo. The same photo, view, seed and settings always
 * give the same transform, which is what lets its embedding be cached under a view key.
 */
export function augmentationFor(
  photoHash: string,
  view: number,
  seed: number,
  settings: AugmentationSettings,
): AugmentationParams {
  const random = seededRandom(hashSeed(`${photoHash}:${view}:${seed}`));
  const between = (low: number, high: number) => low + (high - low) * random();
  const size = settings.crop ? between(MIN_CROP, 1) : 1;
  return {
    flip: settings.flip ? random() < 0.5 : false,
    angle: settings.rotate ? between(-MAX_ANGLE, MAX_ANGLE) : 0,
    crop: { size, x: settings.crop ? between(0, 1 - size) : 0, y: settings.crop ? between(0, 1 - size) : 0 },
    brightness: settings.brightness ? between(1 - JITTER, 1 + JITTER) : 1,
    contrast: settings.contrast ? between(1 - JITTER, 1 + JITTER) : 1,
    saturation: settings.saturation ? between(1 - JITTER, 1 + JITTER) : 1,
  };
}

/** Every transform switched off: the plain view (its cache key is the crop mode alone). */
export const NO_AUGMENTATION: AugmentationSettings = {
  views: 0,
  flip: false,
  rotate: false,
  crop: false,
  brightness: false,
  contrast: false,
  saturation: false,
};

/** The cache key of a view: the crop mode for the photo itself, plus the settings that shape augmented views. */
export function viewKey(cropMode: string, view: number, seed: number, settings: AugmentationSettings): string {
  if (view === 0) return cropMode;
  const on = (['flip', 'rotate', 'crop', 'brightness', 'contrast', 'saturation'] as const).filter((k) => settings[k]).join('+');
  return `${cropMode}|aug${view}|${on || 'none'}|s${seed}`;
}

/**
 * Brightness, contrast and saturation jitter on RGBA pixels, in place. Contrast pivots on the image's
 * mean grey; saturation blends with each pixel's luma. Values stay in [0, 255] (the array clamps).
 */
export function jitterColours(
  rgba: Uint8ClampedArray,
  params: Pick<AugmentationParams, 'brightness' | 'contrast' | 'saturation'>,
): Uint8ClampedArray {
  const { brightness, contrast, saturation } = params;
  if (brightness === 1 && contrast === 1 && saturation === 1) return rgba;
  let sum = 0;
  for (let i = 0; i < rgba.length; i += 4) sum += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
  const mean = (sum / (rgba.length / 4)) * brightness;
  for (let i = 0; i < rgba.length; i += 4) {
    let r = rgba[i]! * brightness;
    let g = rgba[i + 1]! * brightness;
    let b = rgba[i + 2]! * brightness;
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    r = luma + (r - luma) * saturation;
    g = luma + (g - luma) * saturation;
    b = luma + (b - luma) * saturation;
    rgba[i] = mean + (r - mean) * contrast;
    rgba[i + 1] = mean + (g - mean) * contrast;
    rgba[i + 2] = mean + (b - mean) * contrast;
  }
  return rgba;
}
