import type { Backbone } from '../ml/backbone';
import { NO_AUGMENTATION, viewKey, type AugmentationParams } from '../ml/augment';
import { batchInput } from '../ml/preprocess';
import type { CropMode } from '../api/types';
import type { KilnDB } from '../storage/db';
import { getEmbeddings, putEmbeddings } from '../storage/embeddings';
import { embedBatch } from './device-memory';
import { modelPixels } from './pixels';

/**
 * Images per backbone call: 8 keeps the backend busy; 4 on a device with 4 GB or less, or a touch-first one
 * that does not say (see device-memory.ts). Read when work starts: the page's hint arrives after this loads.
 */
export { embedBatch };

export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** One image as the model will see it: a stored photo, and the view (plain, or an augmented copy). */
export interface ViewItem {
  hash: string;
  image: Blob;
  /** The embedding cache key's view part (see ml/augment.ts viewKey). */
  view: string;
  augmentation: AugmentationParams | null;
  /** How the photo fills the model's square (the view key includes it). */
  cropMode: CropMode;
}

export interface EmbedControl {
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}

/** The RGBA pixels the backbone sees for one view of a stored or uploaded image. */
export async function viewPixels(
  image: Blob,
  size: number,
  augmentation: AugmentationParams | null = null,
  cropMode: CropMode = 'center',
): Promise<Uint8ClampedArray> {
  const bitmap = await createImageBitmap(image);
  try {
    return modelPixels(bitmap, size, augmentation, cropMode);
  } finally {
    bitmap.close();
  }
}

/**
 * Runs `compute` over views in batches, calling it with preprocessed pixels, for the views `wanted`
 * marks; the shared loop behind embedding (cached) and fine-tuning activations (not cached).
 */
export async function inBatches<T>(
  items: readonly ViewItem[],
  backbone: Backbone,
  compute: (pixels: Float32Array, batch: readonly ViewItem[]) => Promise<T[]>,
  control: EmbedControl,
  batchSize = embedBatch(),
): Promise<T[]> {
  const size = backbone.spec.inputSize;
  const out: T[] = [];
  const prepare = (start: number) => {
    const pixels = Promise.all(
      items.slice(start, start + batchSize).map((item) => viewPixels(item.image, size, item.augmentation, item.cropMode)),
    );
    pixels.catch(() => undefined); // observed when awaited; a stop may leave it unawaited
    return pixels;
  };
  control.onProgress?.(0, items.length);
  // The next batch decodes (off this thread, in the browser's image decoder) while this one is embedded.
  let next = items.length ? prepare(0) : null;
  for (let start = 0; start < items.length; start += batchSize) {
    if (control.isCancelled?.()) throw new CancelledError('Stopped.');
    const batch = items.slice(start, start + batchSize);
    const pixels = await next!;
    next = start + batchSize < items.length ? prepare(start + batchSize) : null;
    out.push(...(await compute(batchInput(pixels, size, backbone.spec.scaling), batch)));
    control.onProgress?.(start + batch.length, items.length);
  }
  return out;
}

/**
 * Returns one embedding per view, computing only those not cached under (backbone, hash, view).
 * Adding 10 photos to a big project therefore costs 10 backbone passes; a second training costs none.
 */
export async function ensureEmbeddings(
  db: KilnDB,
  backbone: Backbone,
  items: readonly ViewItem[],
  control: EmbedControl = {},
  batchSize = embedBatch(),
): Promise<{ vectors: Float32Array[]; computed: number; reused: number }> {
  const backboneId = backbone.spec.id;
  const keyOf = (item: ViewItem) => `${item.hash}\u0000${item.view}`;
  const cached = await getEmbeddings(
    db,
    items.map((item) => ({ backboneId, hash: item.hash, view: item.view })),
  );
  // Identical photos share one embedding: compute each missing (hash, view) once.
  const missing = new Map<string, ViewItem>();
  items.forEach((item, i) => {
    if (!cached[i] && !missing.has(keyOf(item))) missing.set(keyOf(item), item);
  });
  const featureSize = backbone.spec.featureSize;
  const computed = new Map<string, Float32Array>();
  await inBatches(
    [...missing.values()],
    backbone,
    async (pixels, batch) => {
      const features = await backbone.embed(pixels, batch.length);
      const records = batch.map((item, i) => {
        const vector = features.slice(i * featureSize, (i + 1) * featureSize);
        computed.set(keyOf(item), vector);
        return { backboneId, hash: item.hash, view: item.view, vector };
      });
      await putEmbeddings(db, records);
      return records;
    },
    control,
    batchSize,
  );
  return {
    vectors: items.map((item, i) => cached[i] ?? computed.get(keyOf(item))!),
    computed: missing.size,
    reused: items.length - missing.size,
  };
}

/**
 * Each photo's plain (un-augmented) embedding in one row-major matrix, computed where the cache lacks
 * it: what the embedding map and the near-duplicate check compare.
 */
export async function plainEmbeddingMatrix(
  db: KilnDB,
  backbone: Backbone,
  photos: readonly { hash: string; image: Blob }[],
  cropMode: CropMode,
  control: EmbedControl = {},
): Promise<Float32Array> {
  const view = viewKey(cropMode, 0, 0, NO_AUGMENTATION);
  const { vectors } = await ensureEmbeddings(
    db,
    backbone,
    photos.map((p) => ({ hash: p.hash, image: p.image, view, augmentation: null, cropMode })),
    control,
  );
  const d = backbone.spec.featureSize;
  const flat = new Float32Array(photos.length * d);
  vectors.forEach((v, i) => flat.set(v, i * d));
  return flat;
}
