/**
 * Training and what shapes it: settings, the backbone and crop mode of a project, previews of what
 * augmentation and cropping do to a photo, resuming or discarding an interrupted run.
 */
import { augmentationFor } from '../../ml/augment';
import { BACKEND_LABELS } from '../../ml/backends';
import { fallbackFrom } from '../gpu-recovery';
import { isCropMode, runCropMode } from '../../api/crop-mode';
import { normalizeSettings, type AugmentationSettings, type TrainingSettings } from '../../api/settings';
import type { CropMode, RunRecord, TrainProgress } from '../../api/types';
import { UserError, userMessage, type UserMessage } from '../../api/user-message';
import { getProject, updateProject } from '../../storage/projects';
import { listClasses } from '../../storage/classes';
import { deleteRun, getRun } from '../../storage/runs';
import { getSample } from '../../storage/samples';
import { takeGpuLoss } from '../backend-setup';
import { viewPixels } from '../embedder';
import type { Job } from '../jobs';
import { handOver } from '../operations';
import { scoreTestSet } from '../test-set';
import { runTraining, type TrainOutcome } from '../trainer';
import type { StudioDeps } from './deps';

export interface TrainRequest {
  projectId: string;
  /** The settings to train with; null when resuming (the run's own settings). */
  settings: Partial<TrainingSettings> | null;
  resumeRunId: string | null;
}

/** A progress line with no numbers: a notice (and a warning that stays after training). */
function noticeProgress(message: UserMessage, warning: boolean): TrainProgress {
  return {
    phase: 'preparing',
    done: 0,
    total: 1,
    epoch: null,
    fold: null,
    notice: message.text,
    noticeMessage: message,
    ...(warning ? { warning: message.text, warningMessage: message } : {}),
  };
}

/** RGBA views for the page, handed over without a copy. */
function pixelViews(views: Uint8ClampedArray[]): Uint8ClampedArray[] {
  return handOver(
    views,
    views.map((v) => v.buffer as ArrayBuffer),
  );
}

export function trainingService(deps: StudioDeps) {
  /** One training at a time per worker: the backend and its memory are shared. */
  let training = false;

  /** Puts a finished training's model in the predictor, then scores the test photos with it. */
  async function finish(projectId: string, outcome: TrainOutcome, job: Job<TrainProgress>): Promise<RunRecord> {
    const engine = await deps.engine();
    const predictor = await deps.predictor();
    const backbone = outcome.fineTuned ?? (await engine.backbone(await engine.specFor(outcome.run.backboneId)));
    predictor.install(
      projectId,
      outcome.run.id,
      outcome.head,
      outcome.classes,
      backbone,
      outcome.fineTuned !== null,
      runCropMode(outcome.run),
      outcome.run.quantity ?? null,
    );
    job.progress(noticeProgress(userMessage('train.scoringTestPhotos', 'Scoring the test photos…'), false));
    const scored = await scoreTestSet(await deps.db(), predictor, outcome.run);
    // A class deleted meanwhile (in another tab): the model still answers it, and the person is told.
    const present = new Set((await listClasses(await deps.db(), projectId)).map((c) => c.id));
    const gone = outcome.run.classes.filter((c) => !present.has(c.id)).map((c) => c.name);
    if (gone.length) {
      const names = gone.map((name) => `“${name}”`).join(', ');
      const message = userMessage(
        'train.classDeleted',
        `${names} was deleted while Kiln trained (in another tab, perhaps). This model still answers it: train again to leave it out.`,
        { names, count: gone.length },
      );
      job.progress(noticeProgress(message, true));
    }
    return scored;
  }

  /** After a lost GPU: moves the engine to the next backend, or rethrows when it cannot. */
  async function recoverFromGpuLoss(error: unknown, job: Job<TrainProgress>): Promise<void> {
    const engine = await deps.engine();
    const current = engine.backend!.name;
    const next = fallbackFrom(current);
    const message = userMessage(
      'train.gpuLost',
      `The graphics processor stopped responding, so Kiln moved from ${BACKEND_LABELS[current]} to ${BACKEND_LABELS[next]} and continues from the last saved epoch.`,
      { from: BACKEND_LABELS[current], to: BACKEND_LABELS[next] },
    );
    (await deps.predictor()).forgetAll();
    if (!(await engine.switchBackend(next, message)) && !(await engine.switchBackend('cpu', message))) throw error;
    job.changed('engine');
    job.progress(noticeProgress(message, true));
  }

  async function mayRecover(runId: string | null, attempt: number): Promise<boolean> {
    const current = (await deps.engine()).backend!.name;
    const onGpu = current === 'webgpu' || current === 'webgl';
    return onGpu && runId !== null && attempt < 2 && (await takeGpuLoss());
  }

  return {
    /** Trains (or resumes an interrupted run); resolves to the stored run, or null when stopped before any epoch. */
    async train(request: TrainRequest, job: Job<TrainProgress>): Promise<RunRecord | null> {
      if (training)
        throw new UserError('train.alreadyRunning', 'A training is already running. Wait for it to finish or stop it.');
      training = true;
      const { projectId } = request;
      try {
        const engine = await deps.engine();
        const database = await deps.db();
        const settings = normalizeSettings(request.settings ?? (await getProject(database, projectId))?.settings);
        let runId: string | null = request.resumeRunId;
        for (let attempt = 0; ; attempt++) {
          try {
            const outcome = await runTraining(
              database,
              engine,
              { projectId, settings, resumeRunId: attempt === 0 ? request.resumeRunId : runId },
              {
                onProgress: (progress) => job.progress(progress),
                isCancelled: () => job.isCancelled(),
                onRunStarted: (id) => (runId = id),
              },
            );
            if (!outcome) return null;
            return await finish(projectId, outcome, job);
          } catch (error) {
            // A lost GPU: move to the next backend and continue from the last epoch's checkpoint.
            if (!(await mayRecover(runId, attempt))) throw error;
            await recoverFromGpuLoss(error, job);
          }
        }
      } finally {
        training = false;
        job.changed('runs', projectId);
        job.changed('project', projectId);
        job.changed('projects');
      }
    },

    /** Forgets an interrupted run instead of resuming it. */
    async discardRun({ runId }: { runId: string }, job: Job): Promise<void> {
      const database = await deps.db();
      const run = await getRun(database, runId);
      if (!run || run.status !== 'running') return;
      await deleteRun(database, runId);
      job.changed('runs', run.projectId);
    },

    /** Stores the project's training settings (normalised: out-of-range values are clamped). */
    async saveSettings(
      { projectId, settings }: { projectId: string; settings: Partial<TrainingSettings> },
      job: Job,
    ): Promise<TrainingSettings> {
      const normalized = normalizeSettings(settings);
      await updateProject(await deps.db(), projectId, { settings: normalized });
      job.changed('project', projectId);
      return normalized;
    },

    /** Switches the project's backbone. Its embeddings for the old one stay cached: switching back is free. */
    async setBackbone({ projectId, backboneId }: { projectId: string; backboneId: string }, job: Job): Promise<void> {
      await (await deps.engine()).specFor(backboneId);
      await updateProject(await deps.db(), projectId, { backboneId });
      job.changed('project', projectId);
    },

    /**
     * Chooses how the next trainings draw photos. Embeddings are cached per mode, so the next training
     * embeds the photos again (once per mode); the current model keeps the mode it was trained with.
     */
    async setCropMode({ projectId, cropMode }: { projectId: string; cropMode: CropMode }, job: Job): Promise<void> {
      if (!isCropMode(cropMode))
        throw new UserError('cropMode.unknown', `Unknown crop mode "${String(cropMode)}": choose "center" or "pad".`, {
          mode: String(cropMode),
        });
      await updateProject(await deps.db(), projectId, { cropMode });
      job.changed('project', projectId);
    },

    /** What augmentation does to one stored photo: the plain view, then `views` augmented ones (RGBA). */
    async augmentationPreview(args: {
      sampleId: string;
      augmentation: AugmentationSettings;
      seed: number;
      size: number;
    }): Promise<Uint8ClampedArray[]> {
      const database = await deps.db();
      const sample = await getSample(database, args.sampleId);
      if (!sample) throw new UserError('photo.gone', 'That photo no longer exists.');
      const cropMode = (await getProject(database, sample.projectId))?.cropMode ?? 'center';
      const out = [await viewPixels(sample.image, args.size, null, cropMode)];
      for (let view = 1; view <= args.augmentation.views; view++) {
        const augmentation = augmentationFor(sample.hash, view, args.seed, args.augmentation);
        out.push(await viewPixels(sample.image, args.size, augmentation, cropMode));
      }
      return pixelViews(out);
    },

    /** One stored photo as the model sees it in each mode, centre-cropped then padded (RGBA, size × size). */
    async cropModePreview({ sampleId, size }: { sampleId: string; size: number }): Promise<Uint8ClampedArray[]> {
      const sample = await getSample(await deps.db(), sampleId);
      if (!sample) throw new UserError('photo.gone', 'That photo no longer exists.');
      return pixelViews(
        await Promise.all([viewPixels(sample.image, size, null, 'center'), viewPixels(sample.image, size, null, 'pad')]),
      );
    },
  };
}
