import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createHead, predictHead } from './head';
import { seededRandom } from './random';
import { unscaleTarget, type Quantity } from './regression';
import { valueHead } from './value-head';

describe('the exported value head', () => {
  it('answers the value in the unit: the trained head’s scaled answer, unscaled', async () => {
    const q: Quantity = { name: 'height', unit: 'cm', min: 20, max: 180 };
    const head = createHead(8, 1, { hiddenUnits: 5, seed: 4, output: 'linear' });
    const random = seededRandom(9);
    const features = Float32Array.from({ length: 6 * 8 }, () => random() * 2 - 1);
    const before = tf.memory().numTensors;
    const exported = valueHead(head, q);
    const scaled = await predictHead(head, features, 6);
    const values = await predictHead(exported, features, 6);
    scaled.forEach((s, i) => expect(values[i]).toBeCloseTo(unscaleTarget(s, q), 4));
    expect(exported.layers[1]!.getConfig()).toMatchObject({ units: 1, activation: 'linear', useBias: true });
    exported.dispose();
    expect(tf.memory().numTensors).toBe(before);
    head.dispose();
  });
});
