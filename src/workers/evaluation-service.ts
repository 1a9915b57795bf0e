/** The Evaluate step's worker side: which run is active, deleting runs, and the embedding map. */
import { viewKey } from '../ml/augment';
import { project as projectPoints, type ProjectionMethod } from '../ml/projection';
import { runCropMode } from '../api/crop-mode';
import type { MapPoint, ProjectRecord } from '../api/types';
import { getCheckpoint } from '../storage/checkpoints';
import { getProject, updateProject } from '../storage/projects';
import { deleteRun as removeRun, getRun } from '../storage/runs';
import { listSamplesOfProject } from '../storage/samples';
import { announce, db, jobs, readyEngine, readyPredictor } from './context';
import { ensureEmbeddings } from './embedder';
import { UserError } from '../api/user-message';

/** Makes a finished run's model the one Preview and exports use. */
export async function setActiveRun(projectId: string, runId: string): Promise<ProjectRecord> {
  const database = await db();
  const [run, checkpoint] = await Promise.all([getRun(database, runId), getCheckpoint(database, runId)]);
  if (!run || run.projectId !== projectId || run.status === 'running' || !checkpoint) {
    throw new UserError('evaluate.noModel', 'That training has no finished model to use.');
  }
  const project = await updateProject(database, projectId, { activeRunId: runId });
  (await readyPredictor()).forget(projectId);
  announce('project', projectId);
  return project;
}

/** Deletes a run and its model; deleting the active one leaves the project without a model until another is chosen. */
export async function deleteRun(projectId: string, runId: string): Promise<void> {
  const database = await db();
  const run = await getRun(database, runId);
  if (!run || run.projectId !== projectId) return;
  if (run.status === 'running')
    throw new UserError(
      'evaluate.runStillRunning',
      'This training is still running or can be resumed: stop or discard it first.',
    );
  const project = await getProject(database, projectId);
  await removeRun(database, runId);
  if (project?.activeRunId === runId) (await readyPredictor()).forget(projectId);
  announce('project', projectId);
}

/**
 * Every photo of the project as a point in 2-D, from its cached embedding (computed when missing) for
 * the project's backbone: PCA, or UMAP from umap-js. Seeded, so the same photos give the same map.
 */
export async function embeddingMap(
  projectId: string,
  method: ProjectionMethod,
  jobId: string | null,
  onProgress?: (done: number, total: number) => void,
): Promise<MapPoint[]> {
  const database = await db();
  const engine = await readyEngine();
  const project = await getProject(database, projectId);
  if (!project) throw new UserError('project.gone', 'This project no longer exists.');
  const samples = await listSamplesOfProject(database, projectId);
  if (samples.length < 2) throw new UserError('evaluate.mapNeedsPhotos', 'Add photos first: the map needs at least two.');
  const backbone = await engine.backbone(await engine.specFor(project.backboneId));
  const token = jobs.token(jobId);
  try {
    // Photos as the active model sees them: the crop mode it was trained with (the project's when there is none).
    const run = project.activeRunId ? await getRun(database, project.activeRunId) : undefined;
    const cropMode = run ? runCropMode(run) : project.cropMode;
    const view = viewKey(cropMode, 0, 0, {
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
      samples.map((s) => ({ hash: s.hash, image: s.image, view, augmentation: null, cropMode })),
      { onProgress, isCancelled: token.isCancelled },
    );
    const d = backbone.spec.featureSize;
    const flat = new Float32Array(samples.length * d);
    vectors.forEach((v, i) => flat.set(v, i * d));
    const xy = projectPoints(flat, samples.length, d, method, 42);
    return samples.map((s, i) => ({
      sampleId: s.id,
      name: s.name,
      classId: s.classId,
      x: xy[2 * i]!,
      y: xy[2 * i + 1]!,
      testOnly: s.testOnly === true,
    }));
  } finally {
    token.done();
  }
}
