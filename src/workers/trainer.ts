import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { augmentationFor, viewKey } from '../ml/augment';
import type { Backbone } from '../ml/backbone';
import { classWeights } from '../ml/class-weights';
import { splitForFineTuning, trainableVariables, type SplitExtractor } from '../ml/finetune';
import { stratifiedKFold } from '../ml/folds';
import { createHead } from '../ml/head';
import { accuracy, argMaxRows, confusionMatrix, macroF1, meanStd } from '../ml/metrics';
import { deserializeModel, serializeModel } from '../ml/serialize';
import { stratifiedSplit } from '../ml/split';
import { trainLoop, type LoopCheckpoint, type TrainableParts, type TrainingRows } from '../ml/train-loop';
import { runCropMode } from '../api/crop-mode';
import { sha256Hex } from '../shared/hash';
import { UserError, userMessage } from '../api/user-message';
import { withTrainingLock } from '../api/locks';
import type { TrainingSettings } from '../api/settings';
import type {
  BackendName,
  CheckpointRecord,
  ClassRecord,
  FoldResult,
  LayerWeights,
  ProjectRecord,
  RunRecord,
  SampleRecord,
  TrainProgress,
} from '../api/types';
import { getCheckpoint, saveRunAndActivate } from '../storage/checkpoints';
import { listClasses } from '../storage/classes';
import type { KilnDB } from '../storage/db';
import { getProject } from '../storage/projects';
import { deleteRun, getRun, putRunProgress } from '../storage/runs';
import { listSamplesOfProject } from '../storage/samples';
import { activationValues, embedBatch } from './device-memory';
import { CancelledError, ensureEmbeddings, inBatches, type ViewItem } from './embedder';
import type { Engine } from './engine';

export const MIN_PHOTOS_PER_CLASS = 2;
export class TrainingRefusedError extends UserError {
  override name = 'TrainingRefusedError';
}

export interface TrainOutcome {
  run: RunRecord;
  project: ProjectRecord;
  head: tfl.LayersModel;
  /** The fine-tuned backbone copy, when the run fine-tuned (the predictor keeps it). */
  fineTuned: Backbone | null;
  classes: { id: string; name: string }[];
}

export interface TrainControl {
  onProgress?: (p: TrainProgress) => void;
  isCancelled?: () => boolean;
}

const progress = (p: Partial<TrainProgress> & Pick<TrainProgress, 'phase' | 'done' | 'total'>): TrainProgress => ({
  epoch: null,
  fold: null,
  notice: null,
  ...p,
});

/** The progress line while a backbone downloads on first use. */
function downloadNotice(name: string): Pick<TrainProgress, 'notice' | 'noticeMessage'> {
  const message = userMessage('train.downloading', `Downloading ${name} (first use only)…`, { name });
  return { notice: message.text, noticeMessage: message };
}

/** The photos and classes a run trains on, checked for what training needs. */
async function gatherData(db: KilnDB, project: ProjectRecord, resume: RunRecord | null) {
  if (resume) {
    const byId = new Map((await listSamplesOfProject(db, project.id)).map((s) => [s.id, s]));
    const ids = [...resume.split.train, ...resume.split.validation];
    const samples = ids.map((id) => byId.get(id));
    if (samples.some((s) => !s)) {
      throw new TrainingRefusedError(
        'train.resumePhotosDeleted',
        'Some photos of this training were deleted since it stopped. Start a new training instead.',
      );
    }
    const classes = resume.classes.map((c) => ({ id: c.id, name: c.name }));
    if (samples.some((s) => !classes.some((c) => c.id === s!.classId))) {
      throw new TrainingRefusedError(
        'train.resumePhotosMoved',
        'Some photos of this training changed class since it stopped. Start a new training instead.',
      );
    }
    return { samples: samples as SampleRecord[], classes, validationCount: resume.split.validation.length };
  }
  const records = await listClasses(db, project.id);
  if (records.length < 2)
    throw new TrainingRefusedError(
      'train.tooFewClasses',
      'Add at least 2 classes before training: a model needs something to tell apart.',
    );
  // "Test only" photos are never trained or validated on; training-service scores them afterwards.
  const samples = (await listSamplesOfProject(db, project.id)).filter(
    (s) => !s.testOnly && records.some((c) => c.id === s.classId),
  );
  const short = records
    .filter((c) => samples.filter((s) => s.classId === c.id).length < MIN_PHOTOS_PER_CLASS)
    .map((c) => `"${c.name}"`);
  if (short.length > 0)
    throw new TrainingRefusedError(
      'train.tooFewPhotos',
      `Add at least ${MIN_PHOTOS_PER_CLASS} photos to ${short.join(', ')} before training.`,
      { count: MIN_PHOTOS_PER_CLASS, classes: short.join(', ') },
    );
  return { samples, classes: records.map((c: ClassRecord) => ({ id: c.id, name: c.name })), validationCount: -1 };
}

function rowsOf(
  vectors: readonly Float32Array[],
  indices: readonly number[],
  rowShape: number[],
  labels: readonly number[],
): TrainingRows {
  const size = rowShape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(indices.length * size);
  indices.forEach((index, row) => values.set(vectors[index]!, row * size));
  return { values, rowShape, labels: indices.map((i) => labels[i]!) };
}

async function layerWeights(split: SplitExtractor): Promise<LayerWeights[]> {
  return Promise.all(
    split.trainableLayers.map(async (layer) => {
      const weights = layer.getWeights();
      return {
        layer: layer.name,
        values: await Promise.all(weights.map(async (w) => (await w.data()) as Float32Array)),
        shapes: weights.map((w) => w.shape),
      };
    }),
  );
}

/**
 * The head weights of the model this project continues (an imported Teachable Machine model), when
 * its classes, hidden units and backbone still match; otherwise training starts from scratch.
 */
async function continuedHead(
  db: KilnDB,
  project: ProjectRecord,
  classes: readonly { id: string }[],
  settings: TrainingSettings,
  backboneId: string,
): Promise<{ runId: string; weights: tf.Tensor[] } | null> {
  if (!project.continueFromRunId || settings.fineTuneBlocks > 0) return null;
  const [run, checkpoint] = await Promise.all([
    getRun(db, project.continueFromRunId),
    getCheckpoint(db, project.continueFromRunId),
  ]);
  if (!run || !checkpoint || run.backboneId !== backboneId) return null;
  if (run.classes.length !== classes.length || run.classes.some((c, i) => c.id !== classes[i]!.id)) return null;
  const head = await deserializeModel(checkpoint.head);
  try {
    const weights = head.getWeights().map((w) => tf.clone(w));
    const hidden = weights[0]?.shape[1];
    if (hidden !== settings.hiddenUnits) {
      tf.dispose(weights);
      return null;
    }
    return { runId: run.id, weights };
  } finally {
    head.dispose();
  }
}

/**
 * One training run, from photos to a stored model: embed what is not cached (and the augmented views),
 * or compute block-boundary activations when fine-tuning; cross-validate when asked; train with a
 * checkpoint after every epoch; store the run and make its model the project's active one.
 */
export async function runTraining(
  db: KilnDB,
  engine: Engine,
  request: { projectId: string; settings: TrainingSettings; resumeRunId: string | null },
  control: TrainControl & { onRunStarted?: (runId: string) => void },
): Promise<TrainOutcome | null> {
  const started = performance.now();
  const project = await getProject(db, request.projectId);
  if (!project) throw new TrainingRefusedError('project.gone', 'This project no longer exists.');
  const resumed = request.resumeRunId ? ((await getRun(db, request.resumeRunId)) ?? null) : null;
  if (request.resumeRunId && (!resumed || resumed.status !== 'running')) {
    throw new TrainingRefusedError('train.nothingToResume', 'There is no interrupted training to resume.');
  }
  const settings = resumed?.settings ?? request.settings;
  const { samples, classes } = await gatherData(db, project, resumed);
  const numClasses = classes.length;
  const labels = samples.map((s) => classes.findIndex((c) => c.id === s.classId));
  const spec = await engine.specFor(resumed?.backboneId ?? project.backboneId);
  const backbone = await engine.backbone(spec, (s) =>
    control.onProgress?.(progress({ phase: 'preparing', done: 0, total: 1, ...downloadNotice(s.name) })),
  );
  const blocks = spec.fineTunableBlocks > 0 ? Math.min(settings.fineTuneBlocks, spec.fineTunableBlocks) : 0;

  // The split: kept from the interrupted run, or drawn now (seeded). With k-fold, the final model sees everything.
  const all = samples.map((_, i) => i);
  let trainIdx: number[];
  let valIdx: number[];
  if (resumed) {
    trainIdx = all.slice(0, resumed.split.train.length);
    valIdx = all.slice(resumed.split.train.length);
  } else if (settings.folds > 0) {
    trainIdx = all;
    valIdx = [];
  } else {
    ({ train: trainIdx, validation: valIdx } = stratifiedSplit(labels, settings.validationFraction, settings.seed));
  }

  // Views: every photo plain; augmented copies of the photos that will ever be trained on.
  const augmentedFor = new Set(settings.folds > 0 ? all : trainIdx);
  const views: { sample: number; view: number }[] = [];
  samples.forEach((_, i) => {
    views.push({ sample: i, view: 0 });
    if (augmentedFor.has(i)) for (let v = 1; v <= settings.augmentation.views; v++) views.push({ sample: i, view: v });
  });
  // A resumed run keeps the mode it started with, whatever the project says now.
  const cropMode = resumed ? runCropMode(resumed) : project.cropMode;
  const items: ViewItem[] = views.map(({ sample, view }) => ({
    hash: samples[sample]!.hash,
    image: samples[sample]!.image,
    view: viewKey(cropMode, view, settings.seed, settings.augmentation),
    augmentation: view === 0 ? null : augmentationFor(samples[sample]!.hash, view, settings.seed, settings.augmentation),
    cropMode,
  }));
  const embedControl = {
    isCancelled: control.isCancelled,
    onProgress: (done: number, total: number) => control.onProgress?.(progress({ phase: 'embedding', done, total })),
  };

  let vectors: Float32Array[];
  let embeddingStats: { computed: number; reused: number };
  let rowShape: number[];
  let copy: Backbone | null = null;
  let split: SplitExtractor | null = null;
  try {
    if (blocks === 0) {
      // Sizes read now, not at load: the page's touch-first hint reaches the worker after its modules load.
      const embedded = await ensureEmbeddings(db, backbone, items, embedControl, embedBatch());
      vectors = embedded.vectors;
      embeddingStats = { computed: embedded.computed, reused: embedded.reused };
      rowShape = [spec.featureSize];
    } else {
      copy = await engine.freshCopy(spec);
      split = splitForFineTuning(copy.model, blocks);
      const perRow = split.boundaryShape.reduce((a, b) => a * b, 1);
      // Fine-tuning keeps boundary activations in memory; beyond this many values it would not fit (half on
      // a small device, see device-memory.ts).
      if (perRow * items.length > activationValues()) {
        throw new TrainingRefusedError(
          'train.fineTuneTooBig',
          `Fine-tuning ${blocks} blocks on ${items.length} images needs more memory than is safe here. Use fewer blocks, fewer augmented copies, or train the head only.`,
          { blocks, count: items.length },
        );
      }
      const prefix = split.prefix;
      const size = spec.inputSize;
      vectors = await inBatches(
        items,
        copy,
        async (pixels, batch) => {
          const out = tf.tidy(() => prefix.predict(tf.tensor4d(pixels, [batch.length, size, size, 3])) as tf.Tensor);
          try {
            const values = (await out.data()) as Float32Array;
            return batch.map((_, i) => values.slice(i * perRow, (i + 1) * perRow));
          } finally {
            out.dispose(); // also when reading it back fails (a lost GPU): the batch's activations are freed
          }
        },
        embedControl,
        embedBatch(),
      );
      embeddingStats = { computed: items.length, reused: 0 };
      rowShape = split.boundaryShape;
    }
  } catch (error) {
    copy?.dispose();
    if (error instanceof CancelledError) return null;
    throw error;
  }

  // Row lookup: for each sample, its plain row and its augmented rows.
  const plainRow = new Map<number, number>();
  const augRows = new Map<number, number[]>();
  views.forEach(({ sample, view }, row) => {
    if (view === 0) plainRow.set(sample, row);
    else augRows.set(sample, [...(augRows.get(sample) ?? []), row]);
  });
  const trainingRows = (indices: readonly number[]) => {
    const rows = indices.flatMap((i) => [plainRow.get(i)!, ...(augRows.get(i) ?? [])]);
    return rowsOf(
      vectors,
      rows,
      rowShape,
      views.map((v) => labels[v.sample]!),
    );
  };
  const validationRows = (indices: readonly number[]) =>
    indices.length
      ? rowsOf(
          vectors,
          indices.map((i) => plainRow.get(i)!),
          rowShape,
          views.map((v) => labels[v.sample]!),
        )
      : null;

  const initialSuffix = split ? trainableVariables(split).map((v) => tf.clone(v)) : [];
  const warmStart = resumed ? null : await continuedHead(db, project, classes, settings, spec.id);
  const freshParts = (): TrainableParts => {
    if (split) trainableVariables(split).forEach((v, i) => v.assign(initialSuffix[i]!));
    const head = createHead(spec.featureSize, numClasses, settings);
    if (warmStart) head.setWeights(warmStart.weights);
    return {
      head,
      suffix: split?.suffix ?? null,
      suffixVariables: split ? trainableVariables(split) : [],
    };
  };

  const backend = (): BackendName => engine.backend!.name;
  const counts = classes.map((_, k) => labels.filter((l) => l === k).length);
  const run: RunRecord = resumed ?? {
    id: crypto.randomUUID(),
    projectId: project.id,
    createdAt: Date.now(),
    durationMs: 0,
    status: 'running',
    backboneId: spec.id,
    backboneName: spec.name,
    backend: backend(),
    cropMode,
    settings,
    classes: classes.map((c, k) => ({ ...c, count: counts[k]! })),
    curves: [],
    metrics: { trainCount: trainIdx.length, validationCount: valIdx.length, validationAccuracy: null, confusion: [] },
    finalEpoch: 0,
    earlyStopped: false,
    classWeights: null,
    crossValidation: settings.folds > 0 ? { k: settings.folds, folds: [], accuracy: null, macroF1: null } : null,
    split: { train: trainIdx.map((i) => samples[i]!.id), validation: valIdx.map((i) => samples[i]!.id) },
    fineTunedBlocks: blocks,
    embeddings: embeddingStats,
    startedFrom: warmStart?.runId ?? null,
    data: {
      classCounts: counts,
      testCount: (await listSamplesOfProject(db, project.id)).filter((s) => s.testOnly).length,
      sampleSetHash: await sha256Hex(
        new TextEncoder().encode(
          samples
            .map((s) => s.hash)
            .sort()
            .join('\n'),
        ),
      ),
    },
  };

  control.onRunStarted?.(run.id);
  return withTrainingLock(run.id, async () => {
    await putRunProgress(db, run);
    let finalHead: tfl.LayersModel | null = null;
    let keepCopy = false;
    try {
      // Cross-validation: k models on cached rows, each scored on the fold it did not see.
      const cv = run.crossValidation;
      if (cv) {
        const folds = stratifiedKFold(labels, cv.k, settings.seed);
        for (let f = cv.folds.length; f < folds.length; f++) {
          const fold = folds[f]!;
          const parts = freshParts();
          const foldLabels = fold.train.map((i) => labels[i]!);
          try {
            const result = await trainLoop({
              parts,
              numClasses,
              settings,
              train: trainingRows(fold.train),
              validation: validationRows(fold.validation),
              classWeights: classWeights(foldLabels, numClasses, settings.balance),
              shouldStop: control.isCancelled,
              onEpoch: (epoch) =>
                control.onProgress?.(
                  progress({
                    phase: 'fold',
                    done: epoch.epoch,
                    total: settings.epochs,
                    epoch,
                    fold: { index: f + 1, count: cv.k },
                  }),
                ),
            });
            if (result.stopped) {
              await deleteRun(db, run.id);
              return null;
            }
            const truth = fold.validation.map((i) => labels[i]!);
            const predicted = argMaxRows(result.validationProbabilities!, numClasses);
            const confusion = confusionMatrix(truth, predicted, numClasses);
            const foldResult: FoldResult = {
              fold: f + 1,
              accuracy: accuracy(truth, predicted),
              macroF1: macroF1(confusion),
              trainCount: fold.train.length,
              validationCount: fold.validation.length,
              epochs: result.finalEpoch,
            };
            cv.folds = [...cv.folds, foldResult];
            await putRunProgress(db, run);
          } finally {
            parts.head.dispose();
          }
        }
        cv.accuracy = meanStd(cv.folds.map((f) => f.accuracy));
        cv.macroF1 = meanStd(cv.folds.map((f) => f.macroF1));
      }

      // The model to keep: trained on the split (or on all photos after k-fold), checkpointed every epoch.
      const finalSettings: TrainingSettings = cv
        ? {
            ...settings,
            earlyStopping: false,
            // Without held-back photos, train as long as the folds found best.
            epochs: settings.earlyStopping
              ? Math.max(1, Math.round(cv.folds.reduce((a, f) => a + f.epochs, 0) / cv.folds.length))
              : settings.epochs,
          }
        : settings;
      const existing = resumed ? await getCheckpoint(db, run.id) : undefined;
      const parts = freshParts();
      finalHead = parts.head;
      const trainLabels = trainIdx.map((i) => labels[i]!);
      run.classWeights = classWeights(trainLabels, numClasses, settings.balance);
      let last: LoopCheckpoint | null = existing?.resume ?? null;
      const result = await trainLoop({
        parts,
        numClasses,
        settings: finalSettings,
        train: trainingRows(trainIdx),
        validation: validationRows(valIdx),
        classWeights: run.classWeights,
        resume: last ?? undefined,
        shouldStop: control.isCancelled,
        onEpoch: async (epoch, checkpoint) => {
          last = await checkpoint();
          run.curves = last.history;
          run.durationMs = (resumed?.durationMs ?? 0) + Math.round(performance.now() - started);
          const record: CheckpointRecord = {
            runId: run.id,
            projectId: project.id,
            createdAt: Date.now(),
            epoch: epoch.epoch,
            head: await serializeModel(parts.head),
            backbone: split ? await layerWeights(split) : null,
            resume: last,
          };
          await putRunProgress(db, run, record);
          control.onProgress?.(progress({ phase: 'training', done: epoch.epoch, total: finalSettings.epochs, epoch }));
        },
      });
      if (result.history.length === 0) {
        await deleteRun(db, run.id);
        return null;
      }
      const truth = valIdx.map((i) => labels[i]!);
      const predicted = result.validationProbabilities ? argMaxRows(result.validationProbabilities, numClasses) : [];
      const finished: RunRecord = {
        ...run,
        status: result.stopped ? 'stopped' : 'completed',
        backend: backend(),
        durationMs: (resumed?.durationMs ?? 0) + Math.round(performance.now() - started),
        curves: result.history,
        finalEpoch: result.finalEpoch,
        earlyStopped: result.earlyStopped,
        metrics: {
          trainCount: trainIdx.length,
          validationCount: valIdx.length,
          validationAccuracy: truth.length ? accuracy(truth, predicted) : null,
          confusion: confusionMatrix(truth, predicted, numClasses),
        },
        validationPredictions: result.validationProbabilities
          ? {
              sampleIds: valIdx.map((i) => samples[i]!.id),
              truth,
              probabilities: Array.from(result.validationProbabilities),
            }
          : null,
      };
      const saved = await saveRunAndActivate(db, finished, {
        runId: run.id,
        projectId: project.id,
        createdAt: Date.now(),
        epoch: result.finalEpoch,
        head: await serializeModel(parts.head),
        backbone: split ? await layerWeights(split) : null,
        resume: null,
      });
      finalHead = null;
      keepCopy = true;
      return { run: finished, project: saved, head: parts.head, fineTuned: copy, classes };
    } finally {
      finalHead?.dispose();
      tf.dispose(initialSuffix);
      if (warmStart) tf.dispose(warmStart.weights);
      if (!keepCopy) copy?.dispose();
    }
  });
}
