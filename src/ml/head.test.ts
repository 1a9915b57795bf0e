import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { HeadConfig } from '../shared/types';
import { createHead, predictHead, TEACHABLE_MACHINE_DEFAULTS, trainHead } from './head';
import { seededRandom } from './random';
import { deserializeModel, serializeModel } from './serialize';

const FEATURES = 32;

/** Three classes whose features cluster around different centres, as pooled embeddings of distinct objects do. */
function clusters(perClass: number, seed: number): { features: Float32Array; labels: number[] } {
  const random = seededRandom(seed);
  const labels: number[] = [];
  const features = new Float32Array(perClass * 3 * FEATURES);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < perClass; i++) {
      const row = labels.length;
      labels.push(c);
      for (let f = 0; f < FEATURES; f++) {
        const centre = f % 3 === c ? 2 : 0;
        features[row * FEATURES + f] = centre + (random() - 0.5);
      }
    }
  }
  return { features, labels };
}

const config: HeadConfig = { ...TEACHABLE_MACHINE_DEFAULTS, epochs: 30, hiddenUnits: 16 };

describe('head', () => {
  it("is Teachable Machine's: Dense(100, relu) then Dense(N, softmax) without bias", () => {
    const head = createHead(1280, 4, TEACHABLE_MACHINE_DEFAULTS);
    const [hidden, classes] = head.layers;
    expect(hidden!.getConfig()).toMatchObject({ units: 100, activation: 'relu', useBias: true });
    expect(classes!.getConfig()).toMatchObject({ units: 4, activation: 'softmax', useBias: false });
    expect(TEACHABLE_MACHINE_DEFAULTS).toMatchObject({
      epochs: 50,
      batchSize: 16,
      learningRate: 0.001,
      validationFraction: 0.15,
    });
    head.dispose();
  });

  it('learns separable classes, scores the held-back rows, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const train = clusters(20, 1);
    const validation = clusters(5, 2);
    const epochs: number[] = [];
    const result = await trainHead({
      featureSize: FEATURES,
      numClasses: 3,
      train,
      validation,
      config,
      onEpoch: (log) => epochs.push(log.epoch),
    });
    expect(epochs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const first = result.history[0]!;
    const last = result.history[result.history.length - 1]!;
    expect(last.loss).toBeLessThan(first.loss);
    expect(last.valAccuracy).toBe(1);
    expect(result.validationProbabilities!.length).toBe(15 * 3);
    result.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same curves for the same seed', async () => {
    const data = clusters(10, 3);
    const run = async () => {
      const r = await trainHead({
        featureSize: FEATURES,
        numClasses: 3,
        train: data,
        validation: null,
        config: { ...config, epochs: 3 },
      });
      r.head.dispose();
      return r.history.map((h) => h.loss);
    };
    expect(await run()).toEqual(await run());
  });

  it('stops within one batch when asked, keeping the epochs already done', async () => {
    let batches = 0;
    const result = await trainHead({
      featureSize: FEATURES,
      numClasses: 3,
      train: clusters(40, 4),
      validation: null,
      config: { ...config, batchSize: 4, epochs: 50 },
      onEpoch: () => undefined,
      shouldStop: () => ++batches > 45,
    });
    expect(result.stopped).toBe(true);
    // 30 batches per epoch: one full epoch, then a stop 15 batches into the second.
    expect(result.history.length).toBe(2);
    expect(batches).toBe(46);
    result.head.dispose();
  });

  it('predicts probabilities that sum to one and survive serialisation', async () => {
    const data = clusters(10, 5);
    const { head } = await trainHead({
      featureSize: FEATURES,
      numClasses: 3,
      train: data,
      validation: null,
      config: { ...config, epochs: 3 },
    });
    const before = tf.memory().numTensors;
    const p = await predictHead(head, data.features.slice(0, FEATURES * 2), 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 5);
    const copy = await deserializeModel(await serializeModel(head));
    expect(await predictHead(copy, data.features.slice(0, FEATURES * 2), 2)).toEqual(p);
    head.dispose();
    copy.dispose();
  });
});
