import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../api/settings';
import { mergeHeads } from './ensemble';
import { createHead, headOutput, predictHead } from './head';
import { seededRandom } from './random';
import { regressionScores, scaleTarget, unscaleTarget, type Quantity } from './regression';
import { trainLoop, type TrainingRows } from './train-loop';

const FEATURES = 16;
const ripeness: Quantity = { name: 'ripeness', unit: '', min: 0, max: 10 };

/** Embedding-like rows whose value (0–10) shows in a few features, with noise, as a photo's ripeness would. */
function photos(count: number, seed: number): { rows: TrainingRows; values: number[] } {
  const random = seededRandom(seed);
  const values: number[] = [];
  const data = new Float32Array(count * FEATURES);
  for (let row = 0; row < count; row++) {
    const value = random() * 10;
    values.push(value);
    for (let f = 0; f < FEATURES; f++) data[row * FEATURES + f] = (f < 4 ? value / 5 : 0) + 0.3 * (random() - 0.5);
  }
  return { rows: { values: data, rowShape: [FEATURES], labels: values.map((v) => scaleTarget(v, ripeness)) }, values };
}

const settings: TrainingSettings = { ...DEFAULT_SETTINGS, epochs: 40, hiddenUnits: 16, dropout: 0, learningRate: 0.01 };

describe('training a number', () => {
  it('makes a head with one linear output and no bias, kept through averaging', () => {
    const heads = [1, 2].map((seed) => createHead(FEATURES, 1, { hiddenUnits: 4, seed, output: 'linear' }));
    expect(heads[0]!.layers[1]!.getConfig()).toMatchObject({ units: 1, activation: 'linear', useBias: false });
    const merged = mergeHeads(heads);
    expect(headOutput(merged)).toBe('linear');
    expect(headOutput(createHead(FEATURES, 3, { hiddenUnits: 4, seed: 1 }))).toBe('softmax');
    tf.dispose([...heads, merged].flatMap((h) => h.getWeights()));
  });

  for (const loss of ['mse', 'huber'] as const) {
    it(`learns values with ${loss} loss far better than answering the mean, and leaks no tensors`, async () => {
      const before = tf.memory().numTensors;
      const train = photos(120, 1);
      const held = photos(40, 2);
      const head = createHead(FEATURES, 1, { hiddenUnits: 16, seed: 3, output: 'linear' });
      const result = await trainLoop({
        parts: { head, suffix: null, suffixVariables: [] },
        numClasses: 1,
        objective: { kind: 'regress', loss },
        settings,
        train: train.rows,
        validation: held.rows,
        classWeights: null,
      });
      const first = result.history[0]!;
      const last = result.history[result.history.length - 1]!;
      expect(last.valLoss!).toBeLessThan(first.valLoss! / 4);
      // "accuracy" for a number: the share of held-back rows within 10 % of the range.
      expect(last.valAccuracy!).toBeGreaterThan(0.8);
      const scaled = await predictHead(head, held.rows.values, 40);
      const predicted = Array.from(scaled, (s) => unscaleTarget(s, ripeness));
      const trainMean = train.values.reduce((a, b) => a + b, 0) / train.values.length;
      const scores = regressionScores(held.values, predicted, trainMean);
      expect(scores.rmse).toBeLessThan(scores.baselineRmse! / 3);
      expect(scores.r2!).toBeGreaterThan(0.9);
      head.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
