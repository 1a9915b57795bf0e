/**
 * Several heads trained from different starts, kept as one: averaging the answers of a few independently
 * trained heads is steadier than any one of them (docs/TRAINING.md measures it). Averaging their logits is
 * exactly a single wider head of the same shape — the hidden layers side by side, the last layer's weights
 * stacked and divided by their number — so everything downstream (Preview, evaluation, calibration, every
 * export, Teachable Machine's format included) sees one ordinary two-layer head.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createHead, headOutput } from './head';

/** The seed of the `member`-th head of an averaged model; member 0 keeps the run's own seed. */
export function memberSeed(seed: number, member: number): number {
  return (seed + member * 7919) % 2 ** 31;
}

/**
 * One head whose logits are the mean of `heads`' logits (so its class probabilities are the softmax of
 * that mean). Each head is Dense(hidden, relu) then Dense(classes) without bias, as createHead makes them.
 * The given heads are left as they are; the caller disposes of them. Regression heads (one linear output)
 * merge the same way: their value is the mean of the members' values.
 */
export function mergeHeads(heads: readonly tfl.LayersModel[]): tfl.LayersModel {
  if (heads.length === 0) throw new Error('mergeHeads needs at least one head');
  const weights = heads.map((head) => head.getWeights());
  for (const w of weights) {
    if (w.length !== 3) throw new Error('mergeHeads expects Dense(relu, with bias) then Dense(without bias)');
  }
  const [kernel0, , out0] = weights[0]!;
  const featureSize = kernel0!.shape[0]!;
  const numClasses = out0!.shape[1]!;
  const hiddenUnits = weights.reduce((sum, w) => sum + w[0]!.shape[1]!, 0);
  const merged = createHead(featureSize, numClasses, { hiddenUnits, seed: 0, output: headOutput(heads[0]!) });
  const combined = tf.tidy(() => [
    tf.concat(
      weights.map((w) => w[0]!),
      1,
    ),
    tf.concat(weights.map((w) => w[1]!)),
    tf.div(
      tf.concat(
        weights.map((w) => w[2]!),
        0,
      ),
      heads.length,
    ),
  ]);
  merged.setWeights(combined);
  tf.dispose(combined);
  return merged;
}
