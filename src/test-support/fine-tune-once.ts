import * as tf from '@tensorflow/tfjs-core';
import { TEACHABLE_MACHINE_SETTINGS } from '../api/settings';
import { trainableVariables, type SplitExtractor } from '../ml/finetune';
import { createHead } from '../ml/head';
import { trainLoop, type TrainLoopResult } from '../ml/train-loop';

/**
 * One epoch of fine-tuning a split backbone with a fresh head, on seeded random images (one per label): what the
 * fine-tuning tests share. `leaked` counts the tensors the training left behind.
 */
export async function fineTuneOnce(
  split: SplitExtractor,
  { labels, featureSize, seed }: { labels: number[]; featureSize: number; seed: number },
): Promise<TrainLoopResult & { leaked: number }> {
  const activations = tf.tidy(
    () => split.prefix.predict(tf.randomUniform([labels.length, 224, 224, 3], -1, 1, 'float32', seed)) as tf.Tensor,
  );
  const values = (await activations.data()) as Float32Array;
  activations.dispose();
  const before = tf.memory().numTensors;
  const settings = {
    ...TEACHABLE_MACHINE_SETTINGS,
    epochs: 1,
    batchSize: labels.length,
    learningRate: 0.01,
    fineTuneRateFactor: 1,
  };
  const head = createHead(featureSize, 2, settings);
  const result = await trainLoop({
    parts: { head, suffix: split.suffix, suffixVariables: trainableVariables(split) },
    numClasses: 2,
    settings,
    train: { values, rowShape: split.boundaryShape, labels },
    validation: null,
    classWeights: null,
  });
  head.dispose();
  return { ...result, leaked: tf.memory().numTensors - before };
}
