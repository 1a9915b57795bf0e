import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../../api/settings';
import type { TrainProgress } from '../../api/types';
import { viewKey } from '../../ml/augment';
import { MOBILENET_V2_035 } from '../../ml/backbone-catalogue';
import { predictHead } from '../../ml/head';
import { argMaxRows } from '../../ml/metrics';
import { deserializeModel } from '../../ml/serialize';
import { getCheckpoint } from '../../storage/checkpoints';
import { putClass } from '../../storage/classes';
import { openKilnDB, type KilnDB } from '../../storage/db';
import { putEmbeddings } from '../../storage/embeddings';
import { getProject, putProject } from '../../storage/projects';
import { getRun, listRuns } from '../../storage/runs';
import { addSamples } from '../../storage/samples';
import { klass, project, sample } from '../../test-support/records';
import type { Engine } from '../engine';
import { runTraining } from '../trainer';

// Every view's embedding is cached beforehand, so no photo is decoded: Node has no createImageBitmap.
const spec = { ...MOBILENET_V2_035, featureSize: 6, fineTunableBlocks: 0 };
const engine = { specFor: async () => spec, backbone: async () => ({ spec }), backend: { name: 'cpu' } } as unknown as Engine;

const settings: TrainingSettings = {
  ...DEFAULT_SETTINGS,
  epochs: 4,
  earlyStopping: false,
  hiddenUnits: 4,
  validationFraction: 0.25,
  folds: 0,
  refitOnAll: false,
  augmentation: { ...DEFAULT_SETTINGS.augmentation, views: 1 },
};

let db: KilnDB | null = null;
let n = 0;

beforeEach(() => vi.stubGlobal('navigator', {})); // Node 20 has no navigator: trains without a Web Lock
afterEach(() => {
  db?.close();
  vi.unstubAllGlobals();
});

/** A project of two classes, 6 photos each, with every view's embedding cached (class k leans on feature k). */
async function cachedProject(s: TrainingSettings, perClass = 6) {
  db = await openKilnDB({ name: `kiln-run-${++n}` });
  const p = project({ backboneId: spec.id });
  const classes = [klass(p.id, 0), klass(p.id, 1)];
  const photos = classes.flatMap((c) => Array.from({ length: perClass }, () => sample(p.id, c.id)));
  await putProject(db, p);
  await Promise.all(classes.map((c) => putClass(db!, c)));
  await addSamples(db, photos);
  await putEmbeddings(
    db,
    photos.flatMap((photo, i) =>
      [0, 1].map((view) => ({
        backboneId: spec.id,
        hash: photo.hash,
        view: viewKey(p.cropMode, view, s.seed, s.augmentation),
        vector: vectorOf(i, view),
      })),
    ),
  );
  return { db, p, photos };
}

/** The cached embedding of photo `i`'s view (photo i leans on feature i % 2). */
function vectorOf(i: number, view: number): Float32Array {
  return new Float32Array(spec.featureSize).map((_, d) => (d === i % 2 ? 1 : 0) + ((i * 7 + d * 3 + view) % 5) / 10);
}

const train = (
  database: KilnDB,
  projectId: string,
  control: Parameters<typeof runTraining>[3],
  s = settings,
  resumeRunId: string | null = null,
) => runTraining(database, engine, { projectId, settings: s, resumeRunId }, control);

describe('a training run from cached embeddings', () => {
  it('stores the finished run with its final checkpoint, activates it, and frees every tensor it made', async () => {
    const { db, p } = await cachedProject(settings);
    const phases: TrainProgress['phase'][] = [];
    const before = tf.memory().numTensors;
    const outcome = await train(db, p.id, { onProgress: (e) => phases.push(e.phase) });
    expect(outcome?.run).toMatchObject({ status: 'completed', finalEpoch: 4, embeddings: { computed: 0, reused: 20 } });
    expect(outcome?.run.metrics).toMatchObject({ trainCount: 8, validationCount: 4 });
    expect(outcome?.run.validationPredictions?.sampleIds).toHaveLength(4);
    expect(phases).toEqual(['embedding', 'training', 'training', 'training', 'training']);
    expect(await getRun(db, outcome!.run.id)).toEqual(outcome!.run);
    expect(await getCheckpoint(db, outcome!.run.id)).toMatchObject({ epoch: 4, resume: null, backbone: null });
    expect((await getProject(db, p.id))?.activeRunId).toBe(outcome!.run.id);
    outcome!.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes an interrupted run from its last checkpoint and finishes it', async () => {
    const { db, p } = await cachedProject(settings);
    let runId = '';
    const closeTab = (e: TrainProgress) => {
      if (e.phase === 'training' && e.done === 2) throw new Error('tab closed');
    };
    await expect(train(db, p.id, { onProgress: closeTab, onRunStarted: (id) => (runId = id) })).rejects.toThrow('tab closed');
    expect(await getRun(db, runId)).toMatchObject({ status: 'running', curves: [{ epoch: 1 }, { epoch: 2 }] });
    const epochs: number[] = [];
    const outcome = await train(db, p.id, { onProgress: (e) => e.epoch && epochs.push(e.epoch.epoch) }, settings, runId);
    expect(epochs).toEqual([3, 4]);
    expect(outcome?.run).toMatchObject({ id: runId, status: 'completed', finalEpoch: 4 });
    expect(outcome?.run.curves.map((c) => c.epoch)).toEqual([1, 2, 3, 4]);
    outcome!.head.dispose();
  });

  it('cross-validates before training the kept model on every photo; a stop during the folds leaves no run', async () => {
    const folded = { ...settings, folds: 3 };
    const { db, p } = await cachedProject(folded);
    const outcome = await train(db, p.id, {}, folded);
    expect(outcome?.run.crossValidation?.folds.map((f) => f.fold)).toEqual([1, 2, 3]);
    expect(outcome?.run.metrics).toMatchObject({ trainCount: 12, validationCount: 0, validationAccuracy: null });
    outcome!.head.dispose();

    const before = tf.memory().numTensors;
    let batches = 0;
    expect(await train(db, p.id, { isCancelled: () => ++batches > 5 }, folded)).toBeNull();
    expect((await listRuns(db, p.id)).map((r) => r.id)).toEqual([outcome!.run.id]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains the kept model again on all photos for the epochs the held-back ones chose, scored from before', async () => {
    const refit = { ...settings, refitOnAll: true, epochs: 3, averagedHeads: 1 };
    const { db, p } = await cachedProject(refit);
    const before = tf.memory().numTensors;
    const phases: string[] = [];
    const outcome = await train(db, p.id, { onProgress: (e) => e.epoch && phases.push(`${e.phase} ${e.epoch.epoch}`) }, refit);
    expect(phases).toEqual(['training 1', 'training 2', 'training 3', 'refit 1', 'refit 2', 'refit 3']);
    expect(outcome?.run).toMatchObject({ status: 'completed', finalEpoch: 3, refit: { epochs: 3, photos: 12 } });
    // The validation score is the first model's, on photos it had not seen: 4 of them.
    expect(outcome?.run.metrics).toMatchObject({ trainCount: 8, validationCount: 4 });
    expect(outcome?.run.validationPredictions?.sampleIds).toHaveLength(4);
    // The stored checkpoint is the model trained on all photos (the one the outcome hands to the predictor).
    const stored = (await getCheckpoint(db, outcome!.run.id))!;
    const kept = outcome!.head.getWeights();
    const saved = await deserializeModel(stored.head);
    const storedWeights = saved.getWeights();
    expect(Array.from(await storedWeights[0]!.data())).toEqual(Array.from(await kept[0]!.data()));
    saved.dispose();
    outcome!.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('averages three trainings on all photos into one head that answers with their mean', async () => {
    const refit = { ...settings, refitOnAll: true, epochs: 2, averagedHeads: 3 };
    const { db, p } = await cachedProject(refit);
    const before = tf.memory().numTensors;
    const steps: string[] = [];
    const outcome = await train(
      db,
      p.id,
      { onProgress: (e) => e.phase === 'refit' && steps.push(`${e.done}/${e.total}`) },
      refit,
    );
    // One progress bar over the three trainings: 2 epochs each.
    expect(steps).toEqual(['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
    expect(outcome?.run.refit).toEqual({ epochs: 2, photos: 12, heads: 3 });
    // Three heads side by side: 3 × 4 hidden units, still a two-layer head any export understands.
    expect(outcome!.head.getWeights().map((w) => w.shape)).toEqual([[6, 12], [12], [12, 2]]);
    const stored = await deserializeModel((await getCheckpoint(db, outcome!.run.id))!.head);
    expect(stored.getWeights()[0]!.shape).toEqual([6, 12]);
    stored.dispose();
    outcome!.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains once, keeping the shape, when it continues from an imported model', async () => {
    const once = { ...settings, refitOnAll: true, epochs: 2, averagedHeads: 1 };
    const { db, p } = await cachedProject(once);
    const imported = await train(db, p.id, {}, once);
    imported!.head.dispose();
    await putProject(db, { ...(await getProject(db, p.id))!, continueFromRunId: imported!.run.id });
    const averaged = { ...once, averagedHeads: 3 };
    const outcome = await train(db, p.id, {}, averaged);
    expect(outcome?.run.startedFrom).toBe(imported!.run.id);
    expect(outcome?.run.refit?.heads).toBe(1);
    expect(outcome!.head.getWeights()[0]!.shape).toEqual([6, 4]);
    outcome!.head.dispose();
  });

  it('keeps the first model when Stop is pressed while it learns from all photos', async () => {
    const refit = { ...settings, refitOnAll: true, epochs: 3 };
    const { db, p } = await cachedProject(refit);
    let refitting = false;
    const outcome = await train(
      db,
      p.id,
      { onProgress: (e) => (refitting ||= e.phase === 'refit'), isCancelled: () => refitting },
      refit,
    );
    expect(outcome?.run).toMatchObject({ status: 'completed', finalEpoch: 3 });
    expect(outcome?.run.refit ?? null).toBeNull();
    outcome!.head.dispose();
  });

  it('calibrates the kept model on the held-back photos when there are enough of them, without changing its answers', async () => {
    const many = { ...settings, validationFraction: 0.25, epochs: 6 };
    const { db, p, photos } = await cachedProject(many, 16);
    const outcome = await train(db, p.id, {}, many);
    expect(outcome?.run.metrics.validationCount).toBe(8);
    const t = outcome!.run.temperature!;
    expect(t).toBeGreaterThan(0.25);
    expect(t).toBeLessThan(4);
    expect(t).not.toBe(1);
    // The stored answers on the held-back photos are the first model's, as measured; the kept model (the same
    // weights, divided by the temperature) picks the same class for each of them, with other confidence.
    const { sampleIds, probabilities } = outcome!.run.validationPredictions!;
    const features = new Float32Array(
      sampleIds.flatMap((id) =>
        Array.from(
          vectorOf(
            photos.findIndex((x) => x.id === id),
            0,
          ),
        ),
      ),
    );
    const kept = await predictHead(outcome!.head, features, sampleIds.length);
    expect(argMaxRows(kept, 2)).toEqual(argMaxRows(probabilities, 2));
    expect(Array.from(kept)).not.toEqual(probabilities.map((x) => Math.fround(x)));
    outcome!.head.dispose();
  });

  it('leaves a model with few held-back photos as it is', async () => {
    const { db, p } = await cachedProject(settings);
    const outcome = await train(db, p.id, {}, settings);
    expect(outcome?.run.metrics.validationCount).toBe(4);
    expect(outcome?.run.temperature ?? null).toBeNull();
    outcome!.head.dispose();
  });
});
