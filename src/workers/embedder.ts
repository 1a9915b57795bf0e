import type { Backbone } from '../ml/backbone';
import { batchInput } from '../ml/preprocess';
import type { SampleRecord } from '../shared/types';
import type { KilnDB } from '../storage/db';
import { getEmbeddings, putEmbeddings } from '../storage/embeddings';
import { modelPixels } from './pixels';

/** Images per backbone call: big enough to keep the backend busy, small enough for a 4 GB tablet. */
const EMBED_BATCH = 8;

export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** The pixels the backbone sees for one stored or uploaded image. */
export async function pixelsOf(image: Blob, size: number): Promise<Uint8ClampedArray> {
  const bitmap = await createImageBitmap(image);
  try {
    return modelPixels(bitmap, size);
  } finally {
    bitmap.close();
  }
}

/**
 * Returns one embedding per sample, computing only those not cached under (backbone, hash, view).
 * Adding 10 photos to a big project therefore costs 10 backbone passes.
 */
export async function ensureEmbeddings(
  db: KilnDB,
  backbone: Backbone,
  samples: readonly SampleRecord[],
  view: string,
  control: { onProgress?: (done: number, total: number) => void; isCancelled?: () => boolean } = {},
): Promise<{ vectors: Float32Array[]; computed: number; reused: number }> {
  const backboneId = backbone.spec.id;
  const keys = samples.map((s) => ({ backboneId, hash: s.hash, view }));
  const cached = await getEmbeddings(db, keys);
  const result = cached.slice();
  // Identical photos share one embedding: compute each missing hash once.
  const missing = new Map<string, SampleRecord>();
  samples.forEach((s, i) => {
    if (!result[i] && !missing.has(s.hash)) missing.set(s.hash, s);
  });
  const todo = [...missing.values()];
  const computed = new Map<string, Float32Array>();
  const size = backbone.spec.inputSize;
  const featureSize = backbone.spec.featureSize;
  control.onProgress?.(0, todo.length);
  for (let start = 0; start < todo.length; start += EMBED_BATCH) {
    if (control.isCancelled?.()) throw new CancelledError('Stopped.');
    const batch = todo.slice(start, start + EMBED_BATCH);
    const pixels = await Promise.all(batch.map((s) => pixelsOf(s.image, size)));
    const features = await backbone.embed(batchInput(pixels, size, backbone.spec.scaling), batch.length);
    const records = batch.map((s, i) => {
      const vector = features.slice(i * featureSize, (i + 1) * featureSize);
      computed.set(s.hash, vector);
      return { backboneId, hash: s.hash, view, vector };
    });
    await putEmbeddings(db, records);
    control.onProgress?.(start + batch.length, todo.length);
  }
  return {
    vectors: samples.map((s, i) => result[i] ?? computed.get(s.hash)!),
    computed: todo.length,
    reused: samples.length - todo.length,
  };
}
