/** The Collect gallery's worker side: per-class totals, undoing a delete, and the model's confidence in each photo. */
import * as tf from '@tensorflow/tfjs-core';
import { deserializeModel } from '../../ml/serialize';
import { runCropMode } from '../../api/crop-mode';
import type { SampleRecord } from '../../api/types';
import { getCheckpoint } from '../../storage/checkpoints';
import { getClass } from '../../storage/classes';
import { getEmbeddings } from '../../storage/embeddings';
import { getProject } from '../../storage/projects';
import { getRun } from '../../storage/runs';
import { classStatsOfProject, listSamplesOfProject, putSamples, type ClassStats } from '../../storage/samples';
import type { Job } from '../jobs';
import type { StudioDeps } from './deps';
import { UserError, userMessage, type UserMessage } from '../../api/user-message';

export function galleryService(deps: StudioDeps) {
  return {
    /** Counts and bytes per class id, read here so the page never walks every photo record. */
    async classStats({ projectId }: { projectId: string }): Promise<Record<string, ClassStats>> {
      return Object.fromEntries(await classStatsOfProject(await deps.db(), projectId));
    },
    restoreSamples: (args: { projectId: string; samples: SampleRecord[] }, job: Job) => restoreSamples(deps, args, job),
    ownClassConfidences: ({ projectId }: { projectId: string }) => ownClassConfidences(deps, projectId),
  };
}

/** Puts deleted photos back exactly as they were; their embeddings were never removed (keyed by image hash). */
async function restoreSamples(
  deps: StudioDeps,
  { projectId, samples }: { projectId: string; samples: SampleRecord[] },
  job: Job,
): Promise<void> {
  const database = await deps.db();
  const mine = samples.filter((s) => s.projectId === projectId);
  for (const classId of new Set(mine.map((s) => s.classId))) {
    const record = await getClass(database, classId);
    if (!record || record.projectId !== projectId) {
      throw new UserError(
        'gallery.classDeleted',
        'The class these photos were in was deleted, so they cannot be put back. Add them again from the files.',
      );
    }
  }
  await putSamples(database, mine);
  job.changed('photos', projectId);
}

export interface Confidences {
  /** sampleId → the active model's probability for the photo's own class; photos without a cached embedding are absent. */
  bySample: Record<string, number>;
  /** Why there are none, when there are none for a reason the person should know (`worker.gallery.*`). */
  unavailable: UserMessage | null;
}

const CHUNK = 512;

/**
 * The active model's confidence in each photo's own class, from cached embeddings and the trained head only:
 * no photo is decoded and no backbone runs, so it is cheap even for thousands of photos.
 */
async function ownClassConfidences(deps: StudioDeps, projectId: string): Promise<Confidences> {
  const database = await deps.db();
  const project = await getProject(database, projectId);
  if (!project?.activeRunId) return { bySample: {}, unavailable: userMessage('gallery.noModel', 'Train a model first.') };
  const [run, checkpoint] = await Promise.all([
    getRun(database, project.activeRunId),
    getCheckpoint(database, project.activeRunId),
  ]);
  if (!run || !checkpoint) {
    return { bySample: {}, unavailable: userMessage('gallery.modelMissing', 'The trained model was not found. Train again.') };
  }
  if (checkpoint.backbone) {
    return {
      bySample: {},
      unavailable: userMessage(
        'gallery.fineTuned',
        'This model fine-tuned its image model, so saved photo features do not fit it.',
      ),
    };
  }
  const samples = await listSamplesOfProject(database, projectId);
  const classIndex = new Map(run.classes.map((c, i) => [c.id, i] as const));
  // The un-augmented view's cache key is the crop mode the run was trained with (ml/augment.ts viewKey).
  const view = runCropMode(run);
  const vectors = await getEmbeddings(
    database,
    samples.map((s) => ({ backboneId: run.backboneId, hash: s.hash, view })),
  );
  const known = samples.flatMap((s, i) => (vectors[i] && classIndex.has(s.classId) ? [{ sample: s, vector: vectors[i] }] : []));
  const bySample: Record<string, number> = {};
  if (known.length === 0) return { bySample, unavailable: null };
  const head = await deserializeModel(checkpoint.head);
  try {
    const width = known[0]!.vector.length;
    const expected = head.inputs[0]?.shape;
    if (expected?.length !== 2 || expected[1] !== width) {
      return { bySample, unavailable: userMessage('gallery.featuresDoNotFit', 'This model does not read saved photo features.') };
    }
    for (let start = 0; start < known.length; start += CHUNK) {
      const chunk = known.slice(start, start + CHUNK);
      const flat = new Float32Array(chunk.length * width);
      chunk.forEach((k, i) => flat.set(k.vector, i * width));
      const output = tf.tidy(() => head.predict(tf.tensor2d(flat, [chunk.length, width])) as tf.Tensor2D);
      let values: Float32Array;
      try {
        values = (await output.data()) as Float32Array;
      } finally {
        output.dispose();
      }
      const k = run.classes.length;
      chunk.forEach(({ sample }: { sample: SampleRecord }, i) => {
        bySample[sample.id] = values[i * k + classIndex.get(sample.classId)!]!;
      });
    }
  } finally {
    head.dispose();
  }
  return { bySample, unavailable: null };
}
