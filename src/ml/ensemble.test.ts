import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { memberSeed, mergeHeads } from './ensemble';
import { createHead } from './head';

/** Logits of a head: its answers before the softmax, read through log (softmax is shift-invariant). */
function logits(head: tfl.LayersModel, x: tf.Tensor2D): number[][] {
  return tf.tidy(() => tf.log(head.predict(x) as tf.Tensor)).arraySync() as number[][];
}

describe('averaging several heads into one', () => {
  it('answers with the softmax of the mean of their logits, for every photo', () => {
    const heads = [1, 2, 3].map((seed) => createHead(6, 4, { hiddenUnits: 5, seed }));
    const x = tf.randomNormal([7, 6], 0, 1, 'float32', 3) as tf.Tensor2D;
    const merged = mergeHeads(heads);
    const each = heads.map((h) => logits(h, x));
    const got = logits(merged, x);
    for (let row = 0; row < 7; row++) {
      // Log-probabilities are logits minus a constant per row: compare differences to the first class.
      const expected = [0, 1, 2, 3].map((k) => each.reduce((sum, l) => sum + (l[row]![k]! - l[row]![0]!), 0) / 3);
      got[row]!.forEach((value, k) => expect(value - got[row]![0]!).toBeCloseTo(expected[k]!, 4));
    }
    expect(merged.getWeights()[0]!.shape).toEqual([6, 15]);
    x.dispose();
    [merged, ...heads].forEach((m) => m.dispose());
  });

  it('is the head itself when there is one', () => {
    const head = createHead(4, 2, { hiddenUnits: 3, seed: 5 });
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 8) as tf.Tensor2D;
    const merged = mergeHeads([head]);
    expect(logits(merged, x)).toEqual(logits(head, x));
    x.dispose();
    head.dispose();
    merged.dispose();
  });

  it('keeps only the merged weights: no tensor is left behind', () => {
    const heads = [1, 2].map((seed) => createHead(4, 2, { hiddenUnits: 3, seed }));
    const before = tf.memory().numTensors;
    const merged = mergeHeads(heads);
    expect(tf.memory().numTensors - before).toBe(merged.getWeights().length);
    merged.dispose();
    expect(tf.memory().numTensors).toBe(before);
    heads.forEach((h) => h.dispose());
  });

  it('gives each member its own seed, the first one the run’s', () => {
    expect(memberSeed(42, 0)).toBe(42);
    const seeds = [0, 1, 2, 3, 4].map((m) => memberSeed(42, m));
    expect(new Set(seeds).size).toBe(5);
    expect(memberSeed(2 ** 31 - 1, 1)).toBeLessThan(2 ** 31);
  });
});
