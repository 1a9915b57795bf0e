/**
 * Each photo's exposure and sharpness statistics (mean luminance, Laplacian variance), measured once on
 * its stored thumbnail and kept on the sample record (`SampleRecord.stats`). The importer measures new
 * photos; the health check reads what is stored and measures, then writes back, only records that lack
 * them (photos stored before statistics were kept, or brought in from a project file).
 */
import { imageStats, type ImageStats } from '../ml/health';
import type { SampleRecord } from '../api/types';
import type { KilnDB } from '../storage/db';
import { updateSamples } from '../storage/samples';

/** The thumbnail is measured at most this many pixels on its longest side. */
const STATS_SIDE = 128;
/** Measured statistics are written back in batches of this many records. */
const WRITE_BACK_BATCH = 256;

/** Decodes a thumbnail and measures it. */
export async function thumbnailStats(thumb: Blob): Promise<ImageStats> {
  const bitmap = await createImageBitmap(thumb);
  try {
    const scale = Math.min(1, STATS_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(3, Math.round(bitmap.width * scale));
    const height = Math.max(3, Math.round(bitmap.height * scale));
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(bitmap, 0, 0, width, height);
    return imageStats(ctx.getImageData(0, 0, width, height).data, width, height);
  } finally {
    bitmap.close();
  }
}

/** The statistics stored on a record, when they are there and usable. */
export function storedStats(sample: Pick<SampleRecord, 'stats'>): ImageStats | null {
  const stats = sample.stats;
  if (!stats || !Number.isFinite(stats.meanLuminance) || !Number.isFinite(stats.laplacianVariance)) return null;
  return { meanLuminance: stats.meanLuminance, laplacianVariance: stats.laplacianVariance };
}

export interface PhotoStatsOptions {
  /** Measures a thumbnail; a seam for tests. */
  measure?: (thumb: Blob) => Promise<ImageStats>;
  /** Throws to stop (the health check's cancel); statistics measured so far are still written back. */
  checkCancelled?: () => void;
  onProgress?: (done: number) => void;
}

/**
 * The statistics of every sample, in order: stored ones as they are, the others measured from the
 * thumbnail and written back to their records (records deleted meanwhile are skipped).
 */
export async function photoStats(
  db: KilnDB,
  samples: readonly SampleRecord[],
  options: PhotoStatsOptions = {},
): Promise<ImageStats[]> {
  const measure = options.measure ?? thumbnailStats;
  const out: ImageStats[] = [];
  let measured = new Map<string, ImageStats>();
  const writeBack = async () => {
    if (measured.size === 0) return;
    const batch = measured;
    measured = new Map();
    try {
      await updateSamples(db, [...batch.keys()], (s) => ({ ...s, stats: batch.get(s.id)! }));
    } catch {
      // Only a cache: a full disk or a closing database must not fail the check; they are measured next time.
    }
  };
  try {
    for (const [i, sample] of samples.entries()) {
      options.checkCancelled?.();
      let stats = storedStats(sample);
      if (!stats) {
        stats = await measure(sample.thumb);
        measured.set(sample.id, stats);
        if (measured.size >= WRITE_BACK_BATCH) await writeBack();
      }
      out.push(stats);
      if (i % 16 === 0) options.onProgress?.(i);
    }
  } finally {
    await writeBack();
  }
  return out;
}
