import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, TEACHABLE_MACHINE_SETTINGS, type TrainingSettings } from '../api/settings';
import { SMOOTHED_STOPPING, smoothedLoss } from './early-stopping';
import { createHead, predictHead } from './head';
import { seededRandom } from './random';
import { deserializeModel, serializeModel } from './serialize';
import { trainLoop, type TrainableParts, type TrainingRows } from './train-loop';

const FEATURES = 32;

/** Three classes whose features cluster around different centres, as embeddings of distinct objects do. */
function clusters(perClass: number[], seed: number, noise = 1): TrainingRows {
  const random = seededRandom(seed);
  const labels: number[] = [];
  const total = perClass.reduce((a, b) => a + b, 0);
  const values = new Float32Array(total * FEATURES);
  perClass.forEach((count, c) => {
    for (let i = 0; i < count; i++) {
      const row = labels.length;
      labels.push(c);
      for (let f = 0; f < FEATURES; f++) values[row * FEATURES + f] = (f % 3 === c ? 2 : 0) + noise * (random() - 0.5);
    }
  });
  return { values, rowShape: [FEATURES], labels };
}

const base: TrainingSettings = { ...TEACHABLE_MACHINE_SETTINGS, epochs: 30, hiddenUnits: 16 };
const parts = (settings: TrainingSettings = base): TrainableParts => ({
  head: createHead(FEATURES, 3, settings),
  suffix: null,
  suffixVariables: [],
});

describe('trainLoop', () => {
  it("keeps Teachable Machine's head: Dense(100, relu) then Dense(N, softmax) without bias", () => {
    const head = createHead(1280, 4, TEACHABLE_MACHINE_SETTINGS);
    const [hidden, classes] = head.layers;
    expect(hidden!.getConfig()).toMatchObject({ units: 100, activation: 'relu', useBias: true });
    expect(classes!.getConfig()).toMatchObject({ units: 4, activation: 'softmax', useBias: false });
    expect(TEACHABLE_MACHINE_SETTINGS).toMatchObject({
      epochs: 50,
      batchSize: 16,
      learningRate: 0.001,
      validationFraction: 0.15,
    });
    head.dispose();
  });

  it('learns separable classes and leaks no tensors, with every regulariser on', async () => {
    const before = tf.memory().numTensors;
    const p = parts();
    const settings = { ...base, dropout: 0.3, l2: 0.001, labelSmoothing: 0.1 };
    const epochs: number[] = [];
    const result = await trainLoop({
      parts: p,
      numClasses: 3,
      settings,
      train: clusters([20, 20, 20], 1),
      validation: clusters([5, 5, 5], 2),
      classWeights: [1, 1.5, 0.8],
      onEpoch: (log) => void epochs.push(log.epoch),
    });
    expect(epochs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(result.history.at(-1)!.loss).toBeLessThan(result.history[0]!.loss);
    expect(result.history.at(-1)!.valAccuracy).toBe(1);
    expect(result.validationProbabilities!.length).toBe(15 * 3);
    p.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives identical curves for the same seed, and different ones for another', async () => {
    const data = clusters([10, 10, 10], 3);
    const run = async (seed: number) => {
      const settings = { ...base, epochs: 3, dropout: 0.2, seed };
      const p = parts(settings);
      const r = await trainLoop({ parts: p, numClasses: 3, settings, train: data, validation: null, classWeights: null });
      p.head.dispose();
      return r.history.map((h) => h.loss);
    };
    expect(await run(1)).toEqual(await run(1));
    expect(await run(1)).not.toEqual(await run(2));
  });

  it('stops within one batch when asked, keeping only whole epochs', async () => {
    let batches = 0;
    const p = parts();
    const result = await trainLoop({
      parts: p,
      numClasses: 3,
      settings: { ...base, batchSize: 4, epochs: 50 },
      train: clusters([40, 40, 40], 4),
      validation: null,
      classWeights: null,
      shouldStop: () => ++batches > 45,
    });
    expect(result.stopped).toBe(true);
    // 30 batches per epoch: one full epoch, then a stop 15 batches into the second.
    expect(result.history.length).toBe(1);
    expect(batches).toBe(46);
    p.head.dispose();
  });

  it('early stopping ends after `patience` epochs without progress and restores the best epoch', async () => {
    // Labels are noise: validation loss bottoms out early and then rises as the head memorises.
    const train = clusters([15, 15, 15], 5, 8);
    const validation = clusters([15, 15, 15], 6, 8);
    const settings = { ...base, epochs: 200, learningRate: 0.01, hiddenUnits: 64, earlyStopping: true, patience: 5 };
    const p = parts(settings);
    // The epoch rule alone (45 rows make 3 steps an epoch: the 300-step minimum would hold it to epoch 100).
    const stopping = { ...SMOOTHED_STOPPING, minSteps: 0 };
    const result = await trainLoop({ parts: p, numClasses: 3, settings, train, validation, classWeights: null, stopping });
    expect(result.earlyStopped).toBe(true);
    const losses = result.history.map((h) => h.valLoss!);
    // The kept epoch is the best of the smoothed loss (mean of the last 3), from epoch 5 on.
    const smoothed = losses.map((_, i) =>
      i + 1 < SMOOTHED_STOPPING.minEpochs ? Infinity : smoothedLoss(losses.slice(0, i + 1), 3),
    );
    const bestEpoch = smoothed.indexOf(Math.min(...smoothed)) + 1;
    expect(result.finalEpoch).toBe(bestEpoch);
    expect(result.history.length).toBe(bestEpoch + 5);
    // The weights now are the kept epoch's: scoring them again gives that epoch's validation loss.
    const probabilities = await predictHead(p.head, validation.values, validation.labels.length);
    const loss =
      -validation.labels.reduce((sum, label, row) => sum + Math.log(Math.max(1e-7, probabilities[row * 3 + label]!)), 0) /
      validation.labels.length;
    expect(loss).toBeCloseTo(losses[bestEpoch - 1]!, 4);
    p.head.dispose();
  });

  it('resuming from a checkpoint continues exactly as an uninterrupted run', async () => {
    const train = clusters([12, 12, 12], 7);
    const validation = clusters([4, 4, 4], 8);
    const settings = { ...base, epochs: 6, dropout: 0.2, earlyStopping: true };
    const straight = parts(settings);
    const full = await trainLoop({ parts: straight, numClasses: 3, settings, train, validation, classWeights: null });

    let saved: Awaited<ReturnType<Parameters<NonNullable<Parameters<typeof trainLoop>[0]['onEpoch']>>[1]>> | null = null;
    const first = parts(settings);
    await trainLoop({
      parts: first,
      numClasses: 3,
      settings: { ...settings, epochs: 3 },
      train,
      validation,
      classWeights: null,
      onEpoch: async (_log, checkpoint) => {
        saved = await checkpoint();
      },
    });
    first.head.dispose();
    // A new head, as a reopened tab would build, continues from the stored checkpoint.
    const second = parts(settings);
    const resumed = await trainLoop({
      parts: second,
      numClasses: 3,
      settings,
      train,
      validation,
      classWeights: null,
      resume: saved!,
    });
    expect(resumed.history.map((h) => h.loss)).toEqual(full.history.map((h) => h.loss));
    expect(resumed.history.map((h) => h.valLoss)).toEqual(full.history.map((h) => h.valLoss));
    straight.head.dispose();
    second.head.dispose();
  });

  it('trains with every optimizer, and the head survives serialisation', async () => {
    for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const) {
      const settings = { ...base, epochs: 20, optimizer, learningRate: optimizer === 'sgd' ? 0.05 : 0.01 };
      const p = parts(settings);
      const data = clusters([10, 10, 10], 9);
      const result = await trainLoop({ parts: p, numClasses: 3, settings, train: data, validation: data, classWeights: null });
      expect(result.history.at(-1)!.valAccuracy, optimizer).toBe(1);
      const copy = await deserializeModel(await serializeModel(p.head));
      expect(await predictHead(copy, data.values.slice(0, FEATURES), 1)).toEqual(
        await predictHead(p.head, data.values.slice(0, FEATURES), 1),
      );
      copy.dispose();
      p.head.dispose();
    }
  });

  it("Kiln's defaults keep Teachable Machine's head and batch size", () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ hiddenUnits: 100, batchSize: 16, optimizer: 'adam' });
  });
});
