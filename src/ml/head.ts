import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** What a head answers: class probabilities (softmax) or one number, scaled to −1…1 over its range (linear). */
export type HeadOutput = 'softmax' | 'linear';

/**
 * Dense(hidden, relu) then Dense(classes, softmax) without bias, exactly as Teachable Machine builds it,
 * so exports load in its library. Dropout, when used, is applied by the training loop, not stored here.
 * A regression head ("Predict a number", src/ml/regression.ts) is the same with one linear output.
 */
export function createHead(
  featureSize: number,
  numClasses: number,
  options: { hiddenUnits: number; seed: number; output?: HeadOutput },
): tfl.Sequential {
  const output = options.output ?? 'softmax';
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
      units: output === 'linear' ? 1 : numClasses,
      activation: output,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: options.seed + 1 }),
      useBias: false,
      name: output === 'linear' ? 'value' : 'classes',
    }),
  );
  return head;
}

/** Whether a head (made here, or loaded from a checkpoint or an export) answers classes or a number. */
export function headOutput(head: tfl.LayersModel): HeadOutput {
  const last = head.layers[head.layers.length - 1]!;
  return (last.getConfig() as { activation?: string }).activation === 'linear' ? 'linear' : 'softmax';
}

/** Class probabilities (or scaled values, from a regression head) for `count` feature rows. */
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
