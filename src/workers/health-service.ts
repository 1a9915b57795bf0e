/**
 * The dataset health check, entirely on the device: exact and near duplicates, the same photo in two
 * classes, class balance, and photos too dark, too bright or blurry. Near duplicates use the cached
 * embeddings (computed when missing, so only when asked: after an import the quick checks run alone);
 * exposure uses each photo's thumbnail, measured once and kept on its record (photo-stats.ts).
 */
import { viewKey } from '../ml/augment';
import { balanceFindings, exactDuplicates, exposureIssues, nearDuplicates, nearThreshold, type PhotoRef } from '../ml/health';
import type { HealthReport } from '../api/types';
import { UserError } from '../api/user-message';
import { listClasses } from '../storage/classes';
import { getProject } from '../storage/projects';
import { listSamplesOfProject } from '../storage/samples';
import { db, jobs, readyEngine } from './context';
import { CancelledError, ensureEmbeddings } from './embedder';
import { photoStats } from './photo-stats';

/** Near pairs listed at most (the most similar first). */
const NEAR_LIMIT = 200;
/** Blurry means under the absolute threshold and under this share of the class's median sharpness. */
const RELATIVE_BLUR = 0.25;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function healthCheck(
  projectId: string,
  options: { nearThreshold: number; near: boolean },
  jobId: string | null,
  onProgress?: (done: number, total: number) => void,
): Promise<HealthReport> {
  const database = await db();
  const project = await getProject(database, projectId);
  if (!project) throw new UserError('health.projectGone', 'This project no longer exists.');
  const [classes, samples] = await Promise.all([listClasses(database, projectId), listSamplesOfProject(database, projectId)]);
  const photos: PhotoRef[] = samples.map((s) => ({ id: s.id, classId: s.classId, hash: s.hash, name: s.name }));
  const token = jobs.token(jobId);
  try {
    const total = samples.length * (options.near ? 2 : 1);
    // Measured once per photo (at import, or here the first time for older records) and kept on its record.
    const stats = await photoStats(database, samples, {
      checkCancelled: () => {
        if (token.isCancelled()) throw new CancelledError('Stopped.');
      },
      onProgress: (done) => onProgress?.(done, total),
    });
    // Some datasets are smooth by nature (plain backgrounds, renders): a photo counts as blurry only when
    // it is also far less sharp than its class's typical photo.
    const typical = new Map(
      classes.map((c) => [c.id, median(stats.filter((_, i) => samples[i]!.classId === c.id).map((s) => s.laplacianVariance))]),
    );
    const exposure: HealthReport['exposure'] = [];
    stats.forEach((stat, i) => {
      const issues = exposureIssues(stat).filter(
        (issue) => issue !== 'blurry' || stat.laplacianVariance < RELATIVE_BLUR * (typical.get(samples[i]!.classId) ?? 0),
      );
      if (issues.length) exposure.push({ photo: photos[i]!, issues });
    });
    let near: HealthReport['near'] = [];
    let nearTruncated = false;
    if (options.near && samples.length >= 2) {
      const engine = await readyEngine();
      const backbone = await engine.backbone(await engine.specFor(project.backboneId));
      const view = viewKey(project.cropMode, 0, 0, {
        views: 0,
        flip: false,
        rotate: false,
        crop: false,
        brightness: false,
        contrast: false,
        saturation: false,
      });
      const { vectors } = await ensureEmbeddings(
        database,
        backbone,
        samples.map((s) => ({ hash: s.hash, image: s.image, view, augmentation: null, cropMode: project.cropMode })),
        { onProgress: (done) => onProgress?.(samples.length + done, total), isCancelled: token.isCancelled },
      );
      const d = backbone.spec.featureSize;
      const flat = new Float32Array(samples.length * d);
      vectors.forEach((v, i) => flat.set(v, i * d));
      // One more than listed, to know whether any were left out.
      near = nearDuplicates(photos, flat, d, nearThreshold(options.nearThreshold), NEAR_LIMIT + 1);
      nearTruncated = near.length > NEAR_LIMIT;
      near = near.slice(0, NEAR_LIMIT);
    }
    onProgress?.(total, total);
    return {
      checkedAt: Date.now(),
      photoCount: samples.length,
      nearChecked: options.near,
      duplicates: exactDuplicates(photos),
      near,
      nearTruncated,
      balance: balanceFindings(
        classes.map((c) => ({ id: c.id, name: c.name, count: samples.filter((s) => s.classId === c.id && !s.testOnly).length })),
      ),
      exposure,
    };
  } finally {
    token.done();
  }
}
