import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Dense(hidden, relu) then Dense(classes, softmax) without bias, exactly as Teachable Machine builds it,
 * so exports load in its library. Dropout, when used, is applied by the training loop, not stored here.
 */
export function createHead(
  featureSize: number,
  numClasses: number,
  options: { hiddenUnits: number; seed: number },
): tfl.Sequential {
  const head = tfl.sequential({ name: 'kiln-head' });
  head.add(
    tfl.layers.dense({
      inputShape: [featureSize],
      units: options.hiddenUnits,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: options.seed }),
      useBias: true,
      name: 'hidden',
    }),
  );
  head.add(
    tfl.layers.dense({
      units: numClasses,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: options.seed + 1 }),
      useBias: false,
      name: 'classes',
    }),
  );
  return head;
}

/** Class probabilities for `count` feature rows. */
export async function predictHead(head: tfl.LayersModel, features: Float32Array, count: number): Promise<Float32Array> {
  const featureSize = head.inputs[0]!.shape[1] as number;
  const p = tf.tidy(() => head.predict(tf.tensor2d(features, [count, featureSize])) as tf.Tensor2D);
  try {
    return (await p.data()) as Float32Array;
  } finally {
    p.dispose();
  }
}

/** Divides the logits by `temperature` (temperature scaling) by scaling the last layer's weights. */
export function scaleLogits(head: tfl.LayersModel, temperature: number): void {
  const last = head.layers[head.layers.length - 1]!;
  const scaled = tf.tidy(() => last.getWeights().map((w) => tf.div(w, temperature)));
  last.setWeights(scaled);
  tf.dispose(scaled);
}
