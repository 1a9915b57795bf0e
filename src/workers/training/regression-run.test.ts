import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../../api/settings';
import type { TrainProgress } from '../../api/types';
import { viewKey } from '../../ml/augment';
import { MOBILENET_V2_035 } from '../../ml/backbone-catalogue';
import { headOutput } from '../../ml/head';
import type { Quantity } from '../../ml/regression';
import { deserializeModel } from '../../ml/serialize';
import { getCheckpoint } from '../../storage/checkpoints';
import { putClass } from '../../storage/classes';
import { openKilnDB, type KilnDB } from '../../storage/db';
import { putEmbeddings } from '../../storage/embeddings';
import { putProject } from '../../storage/projects';
import { getRun } from '../../storage/runs';
import { addSamples } from '../../storage/samples';
import { klass, project, sample } from '../../test-support/records';
import type { Engine } from '../engine';
import { runTraining } from '../trainer';

// Every view's embedding is cached beforehand, so no photo is decoded: Node has no createImageBitmap.
const spec = { ...MOBILENET_V2_035, featureSize: 6, fineTunableBlocks: 0 };
const engine = { specFor: async () => spec, backbone: async () => ({ spec }), backend: { name: 'cpu' } } as unknown as Engine;
const fullness: Quantity = { name: 'fullness', unit: '%', min: 0, max: 100 };

const settings: TrainingSettings = {
  ...DEFAULT_SETTINGS,
  epochs: 60,
  learningRate: 0.01,
  dropout: 0,
  earlyStopping: false,
  hiddenUnits: 8,
  validationFraction: 0.25,
  refitOnAll: false,
  augmentation: { ...DEFAULT_SETTINGS.augmentation, views: 0 },
};

let db: KilnDB | null = null;
let n = 0;
beforeEach(() => vi.stubGlobal('navigator', {}));
afterEach(() => {
  db?.close();
  vi.unstubAllGlobals();
});

/** The cached embedding of a photo whose fullness is `value`: two features grow with it, as a glass fills. */
const vectorOf = (value: number, i: number) =>
  new Float32Array(spec.featureSize).map((_, d) => (d < 2 ? value / 50 : 0) + ((i * 7 + d * 3) % 5) / 20);

/** A "Predict a number" project: 24 photos with values 0–100 %, 4 test-only ones, 3 without a value. */
async function valuedProject(s: TrainingSettings) {
  db = await openKilnDB({ name: `kiln-regression-run-${++n}` });
  const p = { ...project({ backboneId: spec.id }), quantity: fullness };
  const holder = klass(p.id, 0);
  const valued = Array.from({ length: 24 }, (_, i) => ({ ...sample(p.id, holder.id), value: (i * 100) / 23 }));
  const tests = [10, 40, 60, 90].map((value) => ({ ...sample(p.id, holder.id), value, testOnly: true }));
  const unlabelled = Array.from({ length: 3 }, () => sample(p.id, holder.id));
  await putProject(db, p);
  await putClass(db, holder);
  await addSamples(db, [...valued, ...tests, ...unlabelled]);
  await putEmbeddings(
    db,
    [...valued, ...unlabelled].map((photo, i) => ({
      backboneId: spec.id,
      hash: photo.hash,
      view: viewKey(p.cropMode, 0, s.seed, s.augmentation),
      vector: vectorOf(photo.value ?? 50, i),
    })),
  );
  return { db, p, valued, unlabelled };
}

describe('a "Predict a number" training run', () => {
  it('trains on the photos with a value only, scores them in the unit and keeps a one-output linear head', async () => {
    const { db, p, valued, unlabelled } = await valuedProject(settings);
    const before = tf.memory().numTensors;
    const outcome = await runTraining(db, engine, { projectId: p.id, settings, resumeRunId: null }, {});
    const run = (await getRun(db, outcome!.run.id))!;
    expect(run.quantity).toEqual(fullness);
    const used = [...run.split.train, ...run.split.validation];
    expect(used.sort()).toEqual(valued.map((s) => s.id).sort());
    expect(used).not.toContain(unlabelled[0]!.id);
    // Each quarter of the range (6 photos) gives round(6 × 0.25) = 2 photos to validation.
    expect(run.metrics.validationCount).toBe(8);
    const scores = run.metrics.regression!;
    expect(scores.count).toBe(8);
    expect(scores.rmse).toBeLessThan(scores.baselineRmse!);
    expect(scores.r2!).toBeGreaterThan(0.5);
    expect(run.validationPredictions!.truth.every((v) => v >= 0 && v <= 100)).toBe(true);
    expect(run.classWeights).toBeNull();
    expect(run.temperature ?? null).toBeNull();
    expect(run.trainMean!).toBeGreaterThan(20);
    const head = await deserializeModel((await getCheckpoint(db, run.id))!.head);
    expect(headOutput(head)).toBe('linear');
    expect(head.outputs[0]!.shape).toEqual([null, 1]);
    head.dispose();
    outcome!.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses to train with too few values, or one value only, saying what to do', async () => {
    const { db, p } = await valuedProject(settings);
    const few = { ...p, id: 'few' };
    await putProject(db, few);
    await putClass(db, klass(few.id, 0));
    await expect(runTraining(db, engine, { projectId: few.id, settings, resumeRunId: null }, {})).rejects.toThrow(
      /Give at least 10 photos a value/,
    );
    const same = { ...p, id: 'same' };
    const holder = klass(same.id, 0);
    await putProject(db, same);
    await putClass(db, holder);
    await addSamples(
      db,
      Array.from({ length: 12 }, () => ({ ...sample(same.id, holder.id), value: 40 })),
    );
    await expect(runTraining(db, engine, { projectId: same.id, settings, resumeRunId: null }, {})).rejects.toThrow(
      /Every photo has the same fullness/,
    );
  });

  it('averages three trainings on all photos once the held-back ones chose the epochs', async () => {
    const s = { ...settings, epochs: 20, refitOnAll: true, averagedHeads: 3, earlyStopping: true };
    const { db, p } = await valuedProject(s);
    const outcome = await runTraining(db, engine, { projectId: p.id, settings: s, resumeRunId: null }, {});
    const run = (await getRun(db, outcome!.run.id))!;
    expect(run.refit).toMatchObject({ heads: 3, photos: 24 });
    expect(headOutput(outcome!.head)).toBe('linear');
    expect(outcome!.head.layers[0]!.getWeights()[0]!.shape).toEqual([spec.featureSize, 3 * 8]);
    outcome!.head.dispose();
  });

  it('cross-validates with RMSE mean ± std over the folds', async () => {
    const s = { ...settings, folds: 3, epochs: 20 };
    const { db, p } = await valuedProject(s);
    const outcome = await runTraining(db, engine, { projectId: p.id, settings: s, resumeRunId: null }, {});
    const run = (await getRun(db, outcome!.run.id))!;
    expect(run.crossValidation!.folds).toHaveLength(3);
    expect(run.crossValidation!.folds.every((f) => typeof f.rmse === 'number' && f.rmse > 0)).toBe(true);
    expect(run.crossValidation!.rmse!.mean).toBeGreaterThan(0);
    expect(run.crossValidation!.rmse!.std).toBeGreaterThanOrEqual(0);
    expect(headOutput(outcome!.head)).toBe('linear');
    outcome!.head.dispose();
  });

  it('resumes an interrupted run from its last checkpoint, still a number run', async () => {
    const s = { ...settings, epochs: 6 };
    const { db, p } = await valuedProject(s);
    let runId = '';
    const closeTab = (e: TrainProgress) => {
      if (e.phase === 'training' && e.done === 3) throw new Error('tab closed');
    };
    await expect(
      runTraining(
        db,
        engine,
        { projectId: p.id, settings: s, resumeRunId: null },
        { onProgress: closeTab, onRunStarted: (id) => (runId = id) },
      ),
    ).rejects.toThrow('tab closed');
    expect(await getRun(db, runId)).toMatchObject({ status: 'running', quantity: fullness });
    const epochs: number[] = [];
    const outcome = await runTraining(
      db,
      engine,
      { projectId: p.id, settings: s, resumeRunId: runId },
      { onProgress: (e) => e.epoch && epochs.push(e.epoch.epoch) },
    );
    expect(epochs).toEqual([4, 5, 6]);
    expect(outcome!.run).toMatchObject({ id: runId, status: 'completed', quantity: fullness });
    expect(outcome!.run.metrics.regression!.count).toBe(8);
    expect(headOutput(outcome!.head)).toBe('linear');
    outcome!.head.dispose();
  });
});
