/**
 * A "Predict a number" head for export: the trained head answers the value scaled to −1…1 (src/ml/regression.ts);
 * the exported one answers the value itself, in the quantity's unit, so `tf.loadLayersModel(...).predict(image)`
 * gives the number with no extra step. The scaling is folded into its last layer: kernel × half the range, and a
 * bias of the range's middle.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Quantity } from './regression';

export function valueHead(head: tfl.LayersModel, q: Quantity): tfl.Sequential {
  const [hiddenKernel, hiddenBias, outKernel] = head.getWeights();
  if (!hiddenKernel || !hiddenBias || !outKernel) throw new Error('valueHead expects Dense(relu, with bias) then Dense(1)');
  const half = (q.max - q.min) / 2;
  const model = tfl.sequential({ name: 'kiln-value-head' });
  model.add(
    tfl.layers.dense({ inputShape: [hiddenKernel.shape[0]!], units: hiddenKernel.shape[1]!, activation: 'relu', name: 'hidden' }),
  );
  model.add(tfl.layers.dense({ units: 1, activation: 'linear', useBias: true, name: 'value' }));
  const weights = tf.tidy(() => [hiddenKernel.clone(), hiddenBias.clone(), tf.mul(outKernel, half), tf.tensor1d([q.min + half])]);
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}
