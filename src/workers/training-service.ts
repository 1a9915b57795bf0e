/** Training, resuming, settings and the choice of backbone, for the studio worker's API. */
import { BACKEND_LABELS } from '../ml/backends';
import { augmentationFor } from '../ml/augment';
import { BACKBONES } from '../ml/backbone-catalogue';
import { runCropMode } from '../api/crop-mode';
import { normalizeSettings, type AugmentationSettings, type TrainingSettings } from '../api/settings';
import type { BackboneChoice, BackendName, RunRecord, TrainProgress } from '../api/types';
import { UserError, userMessage } from '../api/user-message';
import { getCachedBackbone } from '../storage/backbones';
import { getSample } from '../storage/samples';
import { getProject, updateProject } from '../storage/projects';
import { deleteRun, getRun } from '../storage/runs';
import { takeGpuLoss } from './backend-setup';
import { announce, db, jobs, readyEngine, readyPredictor } from './context';
import { viewPixels } from './embedder';
import { scoreTestSet } from './test-set';
import { runTraining } from './trainer';

/** One training at a time per worker: the backend and its memory are shared. */
let training = false;

/**
 * Where to go when the GPU is lost: WASM, which needs no GPU (WebGL would run on the same lost device),
 * or plain CPU if WASM itself was the one failing.
 */
function fallbackFrom(current: BackendName): BackendName {
  return current === 'wasm' ? 'cpu' : 'wasm';
}

export async function train(
  projectId: string,
  request: { settings: Partial<TrainingSettings> | null; resumeRunId: string | null },
  jobId: string | null,
  onProgress?: (progress: TrainProgress) => void,
): Promise<RunRecord | null> {
  if (training) throw new UserError('train.alreadyRunning', 'A training is already running. Wait for it to finish or stop it.');
  training = true;
  const token = jobs.token(jobId);
  try {
    const engine = await readyEngine();
    const database = await db();
    const project = await getProject(database, projectId);
    const settings = normalizeSettings(request.settings ?? project?.settings);
    let runId: string | null = request.resumeRunId;
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await runTraining(
          database,
          engine,
          { projectId, settings, resumeRunId: attempt === 0 ? request.resumeRunId : runId },
          { onProgress, isCancelled: token.isCancelled, onRunStarted: (id) => (runId = id) },
        );
        if (!outcome) return null;
        const predictor = await readyPredictor();
        const backbone = outcome.fineTuned ?? (await engine.backbone(await engine.specFor(outcome.run.backboneId)));
        predictor.install(
          projectId,
          outcome.run.id,
          outcome.head,
          outcome.classes,
          backbone,
          outcome.fineTuned !== null,
          runCropMode(outcome.run),
        );
        const scoring = userMessage('train.scoringTestPhotos', 'Scoring the test photos…');
        onProgress?.({
          phase: 'preparing',
          done: 0,
          total: 1,
          epoch: null,
          fold: null,
          notice: scoring.text,
          noticeMessage: scoring,
        });
        return await scoreTestSet(database, predictor, outcome.run);
      } catch (error) {
        // A lost GPU: move to the next backend and continue from the last epoch's checkpoint.
        const current = engine.backend!.name;
        const onGpu = current === 'webgpu' || current === 'webgl';
        if (!onGpu || !runId || attempt >= 2 || !(await takeGpuLoss())) throw error;
        const next = fallbackFrom(current);
        const message = userMessage(
          'train.gpuLost',
          `The graphics processor stopped responding, so Kiln moved from ${BACKEND_LABELS[current]} to ${BACKEND_LABELS[next]} and continues from the last saved epoch.`,
          { from: BACKEND_LABELS[current], to: BACKEND_LABELS[next] },
        );
        const notice = message.text;
        (await readyPredictor()).forgetAll();
        if (!(await engine.switchBackend(next, message)) && !(await engine.switchBackend('cpu', message))) throw error;
        onProgress?.({
          phase: 'preparing',
          done: 0,
          total: 1,
          epoch: null,
          fold: null,
          notice,
          noticeMessage: message,
          warning: notice,
          warningMessage: message,
        });
      }
    }
  } finally {
    training = false;
    token.done();
    announce('project', projectId);
    announce('projects');
  }
}

/** Forgets an interrupted run instead of resuming it. */
export async function discardRun(runId: string): Promise<void> {
  const database = await db();
  const run = await getRun(database, runId);
  if (!run || run.status !== 'running') return;
  await deleteRun(database, runId);
  announce('project', run.projectId);
}

/** Stores the project's training settings (normalised: out-of-range values are clamped). */
export async function saveSettings(projectId: string, settings: Partial<TrainingSettings>): Promise<TrainingSettings> {
  const normalized = normalizeSettings(settings);
  await updateProject(await db(), projectId, { settings: normalized });
  announce('project', projectId);
  return normalized;
}

/** The backbones Kiln offers, and whether each is already on this device. */
export async function listBackbones(): Promise<BackboneChoice[]> {
  const database = await db();
  const engine = await readyEngine();
  const custom = (await database.getAll('backbones')).filter((r) => r.spec).map((r) => r.spec!);
  return Promise.all(
    [...BACKBONES, ...custom].map(async (spec) => ({
      spec,
      available:
        Boolean(await getCachedBackbone(database, spec.id)) ||
        (spec.id === engine.backboneStatus.id && engine.backboneStatus.state === 'ready'),
    })),
  );
}

/** Switches the project's backbone. Its embeddings for the old one stay cached: switching back is free. */
export async function setBackbone(projectId: string, backboneId: string): Promise<void> {
  await (await readyEngine()).specFor(backboneId);
  await updateProject(await db(), projectId, { backboneId });
  announce('project', projectId);
}

/** What augmentation does to one stored photo: the plain view, then `views` augmented ones (RGBA). */
export async function augmentationPreview(
  sampleId: string,
  augmentation: AugmentationSettings,
  seed: number,
  size: number,
): Promise<Uint8ClampedArray[]> {
  const database = await db();
  const sample = await getSample(database, sampleId);
  if (!sample) throw new UserError('photo.gone', 'That photo no longer exists.');
  const cropMode = (await getProject(database, sample.projectId))?.cropMode ?? 'center';
  const out = [await viewPixels(sample.image, size, null, cropMode)];
  for (let view = 1; view <= augmentation.views; view++) {
    out.push(await viewPixels(sample.image, size, augmentationFor(sample.hash, view, seed, augmentation), cropMode));
  }
  return out;
}
