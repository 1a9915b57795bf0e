/** Image decoding and drawing for the worker: everything here uses OffscreenCanvas, never the page. */
import { imageSize } from 'image-size';
import { jitterColours, type AugmentationParams } from '../ml/augment';
import { modelDrawRects, type Rect } from '../ml/crop-geometry';
import { PAD_COLOUR } from '../api/crop-mode';
import type { CropMode } from '../api/types';
import { UserError, userMessage, type UserMessage } from '../api/user-message';
import { unsupportedPhotoMessage } from './file-reasons';
import { decodeHeif, HeifDecodeError, isHeif } from './heif';

export const STORED_MAX_SIDE = 512;
export const THUMB_MAX_SIDE = 160;
/** Big photos are decoded straight to this size (4× the stored copy, for a sharp downscale), never at full size. */
export const DECODE_MAX_SIDE = 2048;
/** Above this many pixels a failed decode is explained as "too large" rather than "damaged". */
const HUGE_PIXELS = 100_000_000;

/** Why a file cannot be used, as a reason a person can act on; its key is `worker.<key>` in the locale files. */
export class ImageRefusedError extends UserError {
  override name = 'ImageRefusedError';
}

const IMAGE_EXTENSIONS = /\.(jpe?g|jfif|png|gif|webp|bmp|avif|heic|heif|ico|svg)$/i;

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512);
  if (sample.length === 0) return false;
  let printable = 0;
  for (const b of sample) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) printable++;
  return printable / sample.length > 0.95;
}

/**
 * JPEG files end with an EOI marker; one cut short in transfer does not, though browsers still draw part of it.
 * The primary image's EOI is found by walking its segments and scans, not by looking at the file's end: phones
 * append other data after it (a Motion Photo's video, extra pictures), which must not count as "cut short".
 */
export function isTruncatedJpeg(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return false;
  const n = bytes.length;
  let i = 2;
  while (i < n) {
    if (bytes[i] !== 0xff) return !hasEoiAfter(bytes, i); // Not a marker where one belongs: fall back to a search.
    while (i < n && bytes[i] === 0xff) i++; // Fill bytes.
    if (i >= n) return true;
    const marker = bytes[i++]!;
    if (marker === 0xd9) return false; // EOI: the primary image is complete.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // Standalone markers.
    if (i + 1 >= n) return true;
    const length = (bytes[i]! << 8) | bytes[i + 1]!;
    if (length < 2) return !hasEoiAfter(bytes, i);
    i += length;
    if (i > n) return true;
    if (marker !== 0xda) continue;
    // SOS: entropy-coded data up to the next marker that is not a stuffed byte or a restart marker.
    for (;;) {
      while (i < n && bytes[i] !== 0xff) i++;
      if (i + 1 >= n) return true;
      const next = bytes[i + 1]!;
      if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) {
        i += next === 0xff ? 1 : 2;
        continue;
      }
      break;
    }
  }
  return true;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IEND = [0x49, 0x45, 0x4e, 0x44];

/**
 * PNG files end with an IEND chunk; one cut short has none. Searched from the end, so data a program appended after
 * IEND does not count as "cut short".
 */
export function isTruncatedPng(bytes: Uint8Array): boolean {
  if (bytes.length < 8 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return false;
  for (let i = bytes.length - 4; i >= 8; i--) {
    if (bytes[i] === IEND[0] && bytes[i + 1] === IEND[1] && bytes[i + 2] === IEND[2] && bytes[i + 3] === IEND[3]) {
      return false;
    }
  }
  return true;
}

function hasEoiAfter(bytes: Uint8Array, from: number): boolean {
  for (let i = Math.max(from, 1); i < bytes.length; i++) if (bytes[i - 1] === 0xff && bytes[i] === 0xd9) return true;
  return false;
}

/**
 * Decodes a file into a bitmap with EXIF orientation applied (a big one straight to at most DECODE_MAX_SIDE),
 * or throws ImageRefusedError with a reason a person can act on. `original` is the file's own size.
 */
export async function decodeImageFile(
  file: Blob & { name?: string },
): Promise<{ bitmap: ImageBitmap; bytes: Uint8Array<ArrayBuffer>; original: { width: number; height: number } }> {
  if (file.size === 0) throw new ImageRefusedError('import.empty', 'the file is empty (0 bytes)');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const declaredImage = file.type.startsWith('image/') || IMAGE_EXTENSIONS.test(file.name ?? '');
  if (!declaredImage && !file.type) {
    // Unknown type: let the decoder decide below.
  } else if (!declaredImage) {
    throw new ImageRefusedError('import.notImage', `it is not an image (its type is ${file.type})`, { type: file.type });
  }
  if (isTruncatedJpeg(bytes)) {
    throw new ImageRefusedError(
      'import.truncatedJpeg',
      'the JPEG is incomplete (the file was cut short); copy or download it again',
    );
  }
  if (isTruncatedPng(bytes)) {
    throw new ImageRefusedError(
      'import.truncatedPng',
      'the PNG is incomplete (the file was cut short); copy or download it again',
    );
  }
  if (isHeif(bytes)) return decodeHeifFile(bytes);
  const header = headerSize(bytes);
  try {
    const bitmap = await createImageBitmap(new Blob([bytes], { type: file.type }), decodeOptions(header));
    if (bitmap.width === 0 || bitmap.height === 0) throw new Error('empty image');
    return { bitmap, bytes, original: header ?? { width: bitmap.width, height: bitmap.height } };
  } catch {
    if (looksLikeText(bytes)) throw new ImageRefusedError('import.text', 'it is not an image: it contains text');
    const unsupported = unsupportedPhotoMessage(bytes);
    if (unsupported) throw new ImageRefusedError(unsupported.key, unsupported.text);
    if (header && header.width * header.height > HUGE_PIXELS) throw tooLarge(header.width, header.height);
    throw new ImageRefusedError(
      'import.undecodable',
      'the browser could not decode it; the file may be damaged or in an unsupported format',
    );
  }
}

function tooLarge(width: number, height: number): ImageRefusedError {
  const megapixels = Math.round((width * height) / 1e6);
  return new ImageRefusedError(
    'import.tooLarge',
    `it is too large for the browser to open (${width} × ${height} pixels, ${megapixels} megapixels); save a smaller copy (under 100 megapixels) and add that`,
    { width, height, megapixels },
  );
}

/** A HEIC/HEIF photo, decoded by libheif (the browser cannot), then scaled like any big photo. */
async function decodeHeifFile(bytes: Uint8Array<ArrayBuffer>): ReturnType<typeof decodeImageFile> {
  let pixels;
  try {
    pixels = await decodeHeif(bytes, HUGE_PIXELS);
  } catch (error) {
    if (error instanceof HeifDecodeError && error.problem === 'tooLarge' && error.size) {
      throw tooLarge(error.size.width, error.size.height);
    }
    const message = unsupportedPhotoMessage(bytes)!;
    throw new ImageRefusedError(message.key, message.text);
  }
  const original = { width: pixels.width, height: pixels.height };
  const image = new ImageData(pixels.data, pixels.width, pixels.height);
  const bitmap = await createImageBitmap(image, decodeOptions(original));
  return { bitmap, bytes, original };
}

/** Why stored photo bytes (a project file's, say) cannot be used, as a sentence with its key; null when they decode. */
export async function photoProblem(bytes: Uint8Array): Promise<UserMessage | null> {
  try {
    const { bitmap } = await decodeImageFile(new Blob([bytes.slice()], { type: 'image/jpeg' }));
    bitmap.close();
    return null;
  } catch (error) {
    if (error instanceof ImageRefusedError) return userMessage(error.key, error.message, error.values);
    throw error;
  }
}

/** Width and height as displayed (EXIF orientation 5–8 swaps them), read from the header alone; null if unknown. */
export function headerSize(bytes: Uint8Array): { width: number; height: number } | null {
  try {
    const { width, height, orientation } = imageSize(bytes);
    if (!width || !height) return null;
    return orientation && orientation >= 5 ? { width: height, height: width } : { width, height };
  } catch {
    return null;
  }
}

/**
 * createImageBitmap options: EXIF orientation applied and, for a big image, the size to decode to. Chromium
 * applies resizeWidth/resizeHeight after orientation, so they are in displayed (rotated) coordinates.
 */
export function decodeOptions(header: { width: number; height: number } | null): ImageBitmapOptions {
  if (!header || Math.max(header.width, header.height) <= DECODE_MAX_SIDE) return { imageOrientation: 'from-image' };
  const { width, height } = scaledSize(header.width, header.height, DECODE_MAX_SIDE);
  return { imageOrientation: 'from-image', resizeWidth: width, resizeHeight: height, resizeQuality: 'high' };
}

function context2d(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This browser cannot draw images in a worker (no OffscreenCanvas 2D).');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  return ctx;
}

export function scaledSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A JPEG copy whose longest side is at most maxSide. */
export async function encodeScaled(
  bitmap: ImageBitmap,
  maxSide: number,
  quality = 0.9,
): Promise<{ blob: Blob; width: number; height: number }> {
  const { width, height } = scaledSize(bitmap.width, bitmap.height, maxSide);
  const ctx = context2d(width, height);
  // JPEG has no alpha: paint transparent areas white, as a viewer would show them.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  const blob = await ctx.canvas.convertToBlob({ type: 'image/jpeg', quality });
  return { blob, width, height };
}

/**
 * The model's view of an image, resized to size × size: the centred square (Teachable Machine's crop) or,
 * in 'pad' mode, the whole picture on a grey square (ml/crop-geometry.ts). An augmented view is transformed
 * within that square (crop inside it, rotation that still covers the frame, mirror, colour jitter).
 * Returns RGBA bytes.
 */
export function modelPixels(
  bitmap: ImageBitmap,
  size: number,
  augmentation: AugmentationParams | null = null,
  cropMode: CropMode = 'center',
): Uint8ClampedArray {
  const ctx = context2d(size, size);
  ctx.fillStyle = cropMode === 'pad' ? PAD_COLOUR : '#fff';
  ctx.fillRect(0, 0, size, size);
  if (!augmentation) {
    drawPhoto(ctx, bitmap, modelDrawRects(bitmap.width, bitmap.height, cropMode, { x: 0, y: 0, width: size, height: size }));
    return ctx.getImageData(0, 0, size, size).data;
  }
  const { crop, angle, flip } = augmentation;
  const radians = (angle * Math.PI) / 180;
  // A rotated square covers the frame only when scaled by |cos| + |sin|.
  const cover = Math.abs(Math.cos(radians)) + Math.abs(Math.sin(radians));
  ctx.translate(size / 2, size / 2);
  ctx.rotate(radians);
  if (flip) ctx.scale(-1, 1);
  const drawn = size * cover;
  const dest = { x: -drawn / 2, y: -drawn / 2, width: drawn, height: drawn };
  drawPhoto(ctx, bitmap, modelDrawRects(bitmap.width, bitmap.height, cropMode, dest, crop));
  return jitterColours(ctx.getImageData(0, 0, size, size).data, augmentation);
}

/** Draws the photo's part; transparent pixels show white, as on the stored JPEG copies, never the padding. */
function drawPhoto(
  ctx: OffscreenCanvasRenderingContext2D,
  bitmap: ImageBitmap,
  rects: { source: Rect; dest: Rect } | null,
): void {
  if (!rects) return;
  const { source, dest } = rects;
  ctx.fillStyle = '#fff';
  ctx.fillRect(dest.x, dest.y, dest.width, dest.height);
  ctx.drawImage(bitmap, source.x, source.y, source.width, source.height, dest.x, dest.y, dest.width, dest.height);
}

/** RGBA pixels of a square `size` × `size` picture as a JPEG (what a model saw, to show under its heatmap). */
export async function squareJpeg(pixels: Uint8ClampedArray, size: number): Promise<Blob> {
  const ctx = context2d(size, size);
  ctx.putImageData(new ImageData(new Uint8ClampedArray(pixels), size, size), 0, 0);
  return ctx.canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
}
