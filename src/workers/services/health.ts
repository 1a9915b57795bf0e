/**
 * The dataset health check, entirely on the device: exact and near duplicates, the same photo in two
 * classes, class balance, and photos too dark, too bright or blurry. Near duplicates use the cached
 * embeddings (computed when missing, so only when asked: after an import the quick checks run alone);
 * exposure uses each photo's thumbnail, measured once and kept on its record (photo-stats.ts).
 */
import { balanceFindings, exactDuplicates, exposureIssues, nearDuplicates, nearThreshold, type PhotoRef } from '../../ml/health';
import type { HealthReport } from '../../api/types';
import { UserError } from '../../api/user-message';
import { listClasses } from '../../storage/classes';
import { getProject } from '../../storage/projects';
import { listSamplesOfProject } from '../../storage/samples';
import type { Count } from '../../api/job';
import { CancelledError, plainEmbeddingMatrix } from '../embedder';
import type { Job } from '../jobs';
import { photoStats } from '../photo-stats';
import type { StudioDeps } from './deps';

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

export interface HealthRequest {
  projectId: string;
  nearThreshold: number;
  /** Also look for near duplicates (embeds the photos not embedded yet). */
  near: boolean;
}

export function healthService(deps: StudioDeps) {
  return { healthCheck: (request: HealthRequest, job: Job<Count>) => healthCheck(deps, request, job) };
}

async function healthCheck(deps: StudioDeps, options: HealthRequest, job: Job<Count>): Promise<HealthReport> {
  const { projectId } = options;
  const onProgress = (done: number, total: number) => job.progress({ done, total });
  const database = await deps.db();
  const project = await getProject(database, projectId);
  if (!project) throw new UserError('health.projectGone', 'This project no longer exists.');
  const [classes, samples] = await Promise.all([listClasses(database, projectId), listSamplesOfProject(database, projectId)]);
  const photos: PhotoRef[] = samples.map((s) => ({ id: s.id, classId: s.classId, hash: s.hash, name: s.name }));
  const total = samples.length * (options.near ? 2 : 1);
  // Measured once per photo (at import, or here the first time for older records) and kept on its record.
  const stats = await photoStats(database, samples, {
    checkCancelled: () => {
      if (job.isCancelled()) throw new CancelledError('Stopped.');
    },
    onProgress: (done) => onProgress(done, total),
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
    const engine = await deps.engine();
    const backbone = await engine.backbone(await engine.specFor(project.backboneId));
    const d = backbone.spec.featureSize;
    const flat = await plainEmbeddingMatrix(database, backbone, samples, project.cropMode, {
      onProgress: (done) => onProgress(samples.length + done, total),
      isCancelled: () => job.isCancelled(),
    });
    // One more than listed, to know whether any were left out.
    near = nearDuplicates(photos, flat, d, nearThreshold(options.nearThreshold), NEAR_LIMIT + 1);
    nearTruncated = near.length > NEAR_LIMIT;
    near = near.slice(0, NEAR_LIMIT);
  }
  onProgress(total, total);
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
}
