/** Image decoding and drawing for the worker: everything here uses OffscreenCanvas, never the page. */
import { jitterColours, type AugmentationParams } from '../ml/augment';

export const STORED_MAX_SIDE = 512;
export const THUMB_MAX_SIDE = 160;

export class ImageRefusedError extends Error {
  override name = 'ImageRefusedError';
}

const IMAGE_EXTENSIONS = /\.(jpe?g|jfif|png|gif|webp|bmp|avif|ico|svg)$/i;

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512);
  if (sample.length === 0) return false;
  let printable = 0;
  for (const b of sample) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) printable++;
  return printable / sample.length > 0.95;
}

/** JPEG files end with an EOI marker; one cut short in transfer does not, though browsers still draw part of it. */
function isTruncatedJpeg(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return false;
  for (let i = bytes.length - 1; i >= Math.max(1, bytes.length - 1024); i--) {
    if (bytes[i - 1] === 0xff && bytes[i] === 0xd9) return false;
  }
  return true;
}

/**
 * Decodes a file into a bitmap with EXIF orientation applied, or throws ImageRefusedError with a
 * reason a person can act on.
 */
export async function decodeImageFile(
  file: Blob & { name?: string },
): Promise<{ bitmap: ImageBitmap; bytes: Uint8Array<ArrayBuffer> }> {
  if (file.size === 0) throw new ImageRefusedError('the file is empty (0 bytes)');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const declaredImage = file.type.startsWith('image/') || IMAGE_EXTENSIONS.test(file.name ?? '');
  if (!declaredImage && !file.type) {
    // Unknown type: let the decoder decide below.
  } else if (!declaredImage) {
    throw new ImageRefusedError(`it is not an image (its type is ${file.type})`);
  }
  if (isTruncatedJpeg(bytes)) {
    throw new ImageRefusedError('the JPEG is incomplete (the file was cut short); copy or download it again');
  }
  try {
    const bitmap = await createImageBitmap(new Blob([bytes], { type: file.type }), { imageOrientation: 'from-image' });
    if (bitmap.width === 0 || bitmap.height === 0) throw new Error('empty image');
    return { bitmap, bytes };
  } catch {
    if (looksLikeText(bytes)) throw new ImageRefusedError('it is not an image: it contains text');
    throw new ImageRefusedError('the browser could not decode it; the file may be damaged or in an unsupported format');
  }
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
 * The model's view of an image: the centred square (Teachable Machine's crop), resized to size × size,
 * optionally transformed for an augmented view (crop inside the square, rotation that still covers
 * the frame, mirror, colour jitter). Returns RGBA bytes.
 */
export function modelPixels(
  bitmap: ImageBitmap,
  size: number,
  augmentation: AugmentationParams | null = null,
): Uint8ClampedArray {
  const side = Math.min(bitmap.width, bitmap.height);
  const sx = (bitmap.width - side) / 2;
  const sy = (bitmap.height - side) / 2;
  const ctx = context2d(size, size);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  if (!augmentation) {
    ctx.drawImage(bitmap, sx, sy, side, side, 0, 0, size, size);
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
  ctx.drawImage(
    bitmap,
    sx + crop.x * side,
    sy + crop.y * side,
    crop.size * side,
    crop.size * side,
    -drawn / 2,
    -drawn / 2,
    drawn,
    drawn,
  );
  return jitterColours(ctx.getImageData(0, 0, size, size).data, augmentation);
}
