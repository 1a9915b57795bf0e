import type * as tfl from '@tensorflow/tfjs-layers';
import type { Backbone } from '../ml/backbone';
import { trainHead } from '../ml/head';
import { accuracy, argMax, confusionMatrix } from '../ml/metrics';
import { serializeModel } from '../ml/serialize';
import { stratifiedSplit } from '../ml/split';
import type { BackendName, ClassRecord, HeadConfig, ProjectRecord, RunRecord, TrainProgress } from '../shared/types';
import { saveRunAndActivate } from '../storage/checkpoints';
import { listClasses } from '../storage/classes';
import type { KilnDB } from '../storage/db';
import { getProject } from '../storage/projects';
import { listSamplesOfProject } from '../storage/samples';
import { CancelledError, ensureEmbeddings } from './embedder';

export const MIN_PHOTOS_PER_CLASS = 2;

export class TrainingRefusedError extends Error {
  override name = 'TrainingRefusedError';
}

export interface TrainOutcome {
  run: RunRecord;
  project: ProjectRecord;
  head: tfl.LayersModel;
  classes: ClassRecord[];
}

function rows(features: readonly Float32Array[], indices: readonly number[], featureSize: number): Float32Array {
  const out = new Float32Array(indices.length * featureSize);
  indices.forEach((index, row) => out.set(features[index]!, row * featureSize));
  return out;
}

/**
 * One training run: embed what is not cached, split, train the head, score it on the held-back
 * photos, and store run + model as the project's active model.
 */
export async function trainProject(
  db: KilnDB,
  backbone: Backbone,
  backend: BackendName,
  projectId: string,
  config: HeadConfig,
  control: { onProgress?: (p: TrainProgress) => void; isCancelled?: () => boolean },
): Promise<TrainOutcome | null> {
  const started = performance.now();
  const project = await getProject(db, projectId);
  if (!project) throw new TrainingRefusedError('This project no longer exists.');
  const classes = await listClasses(db, projectId);
  if (classes.length < 2)
    throw new TrainingRefusedError('Add at least 2 classes before training: a model needs something to tell apart.');
  const samples = (await listSamplesOfProject(db, projectId)).filter((s) => classes.some((c) => c.id === s.classId));
  const counts = classes.map((c) => samples.filter((s) => s.classId === c.id).length);
  const short = classes.filter((_, i) => counts[i]! < MIN_PHOTOS_PER_CLASS).map((c) => `"${c.name}"`);
  if (short.length > 0) {
    throw new TrainingRefusedError(`Add at least ${MIN_PHOTOS_PER_CLASS} photos to ${short.join(', ')} before training.`);
  }

  const labels = samples.map((s) => classes.findIndex((c) => c.id === s.classId));
  let embedded: Awaited<ReturnType<typeof ensureEmbeddings>>;
  try {
    embedded = await ensureEmbeddings(db, backbone, samples, project.cropMode, {
      isCancelled: control.isCancelled,
      onProgress: (done, total) => control.onProgress?.({ phase: 'embedding', done, total, epoch: null }),
    });
  } catch (error) {
    if (error instanceof CancelledError) return null;
    throw error;
  }

  const features = embedded.vectors;
  const featureSize = backbone.spec.featureSize;
  const split = stratifiedSplit(labels, config.validationFraction, config.seed);
  const result = await trainHead({
    featureSize,
    numClasses: classes.length,
    config,
    train: { features: rows(features, split.train, featureSize), labels: split.train.map((i) => labels[i]!) },
    validation: split.validation.length
      ? { features: rows(features, split.validation, featureSize), labels: split.validation.map((i) => labels[i]!) }
      : null,
    shouldStop: control.isCancelled,
    onEpoch: (epoch) => control.onProgress?.({ phase: 'training', done: epoch.epoch, total: config.epochs, epoch }),
  });
  if (result.history.length === 0) {
    result.head.dispose();
    return null;
  }

  const trueVal = split.validation.map((i) => labels[i]!);
  const predictedVal = trueVal.map((_, row) =>
    argMax(result.validationProbabilities!.subarray(row * classes.length, (row + 1) * classes.length)),
  );
  const run: RunRecord = {
    id: crypto.randomUUID(),
    projectId,
    createdAt: Date.now(),
    durationMs: Math.round(performance.now() - started),
    status: result.stopped ? 'stopped' : 'completed',
    backboneId: backbone.spec.id,
    backend,
    config,
    classes: classes.map((c, i) => ({ id: c.id, name: c.name, count: counts[i]! })),
    curves: result.history,
    embeddings: { computed: embedded.computed, reused: embedded.reused },
    metrics: {
      trainCount: split.train.length,
      validationCount: split.validation.length,
      validationAccuracy: trueVal.length ? accuracy(trueVal, predictedVal) : null,
      confusion: confusionMatrix(trueVal, predictedVal, classes.length),
    },
  };
  const head = await serializeModel(result.head);
  const saved = await saveRunAndActivate(db, run, {
    runId: run.id,
    projectId,
    createdAt: run.createdAt,
    epoch: result.history.length,
    head,
  });
  return { run, project: saved, head: result.head, classes };
}
