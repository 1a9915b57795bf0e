import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { EpochLog, HeadConfig } from '../shared/types';
import { seededRandom, shuffled } from './random';
import { yieldToEventLoop } from './yield';

/** Teachable Machine's head and training settings: the baseline every later change is measured against. */
export const TEACHABLE_MACHINE_DEFAULTS: HeadConfig = {
  epochs: 50,
  batchSize: 16,
  learningRate: 0.001,
  hiddenUnits: 100,
  validationFraction: 0.15,
  seed: 42,
};

/** Dense(hidden, relu) then Dense(classes, softmax) without bias, exactly as Teachable Machine builds it. */
export function createHead(
  featureSize: number,
  numClasses: number,
  config: Pick<HeadConfig, 'hiddenUnits' | 'seed'>,
): tfl.Sequential {
  const head = tfl.sequential({ name: 'kiln-head' });
  head.add(
    tfl.layers.dense({
      inputShape: [featureSize],
      units: config.hiddenUnits,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: config.seed }),
      useBias: true,
      name: 'hidden',
    }),
  );
  head.add(
    tfl.layers.dense({
      units: numClasses,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: config.seed + 1 }),
      useBias: false,
      name: 'classes',
    }),
  );
  return head;
}

export interface LabelledFeatures {
  /** n × featureSize values, row-major. */
  features: Float32Array;
  labels: readonly number[];
}

export interface TrainHeadOptions {
  featureSize: number;
  numClasses: number;
  train: LabelledFeatures;
  validation: LabelledFeatures | null;
  config: HeadConfig;
  onEpoch?: (log: EpochLog) => void;
  /** Checked between batches: training stops within one batch of it turning true. */
  shouldStop?: () => boolean;
}

export interface TrainHeadResult {
  head: tfl.Sequential;
  history: EpochLog[];
  stopped: boolean;
  /** Class probabilities for each validation row (n × classes), from the final weights. */
  validationProbabilities: Float32Array | null;
}

function crossEntropy(probabilities: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probabilities, 1e-7, 1 - 1e-7))), -1)));
}

function oneHot(labels: readonly number[], numClasses: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), numClasses), 'float32') as tf.Tensor2D);
}

function correctCount(probabilities: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(probabilities, -1), tf.argMax(oneHot, -1)), 'float32'));
}

/**
 * A hand-written loop rather than `fit`: the data stays on the backend as two tensors, batches are
 * gathered there, and losses are summed on the device and read once per epoch, so a batch costs one
 * optimizer step and no synchronisation.
 */
export async function trainHead(options: TrainHeadOptions): Promise<TrainHeadResult> {
  const { featureSize, numClasses, config } = options;
  const n = options.train.labels.length;
  if (n === 0) throw new Error('There are no training photos.');
  const head = createHead(featureSize, numClasses, config);
  const optimizer = tf.train.adam(config.learningRate);
  const random = seededRandom(config.seed);
  const history: EpochLog[] = [];
  let stopped = false;

  const xTrain = tf.tensor2d(options.train.features, [n, featureSize]);
  const yTrain = oneHot(options.train.labels, numClasses);
  const validation = options.validation && options.validation.labels.length > 0 ? options.validation : null;
  const xVal = validation ? tf.tensor2d(validation.features, [validation.labels.length, featureSize]) : null;
  const yVal = validation ? oneHot(validation.labels, numClasses) : null;
  const variables = head.trainableWeights.map((w) => w.read() as tf.Variable);
  const indices = Array.from({ length: n }, (_, i) => i);

  try {
    for (let epoch = 1; epoch <= config.epochs && !stopped; epoch++) {
      const order = tf.tensor1d(Int32Array.from(shuffled(indices, random)), 'int32');
      let lossSum: tf.Scalar = tf.scalar(0);
      let correctSum: tf.Scalar = tf.scalar(0);
      let seen = 0;
      for (let start = 0; start < n; start += config.batchSize) {
        if (options.shouldStop?.()) {
          stopped = true;
          break;
        }
        const size = Math.min(config.batchSize, n - start);
        const [nextLoss, nextCorrect] = tf.tidy(() => {
          const batch = tf.slice(order, start, size);
          const xb = tf.gather(xTrain, batch) as tf.Tensor2D;
          const yb = tf.gather(yTrain, batch) as tf.Tensor2D;
          let correct: tf.Scalar | null = null;
          const loss = optimizer.minimize(
            () => {
              const p = head.apply(xb, { training: true }) as tf.Tensor2D;
              correct = tf.keep(correctCount(p, yb));
              return crossEntropy(p, yb);
            },
            true,
            variables,
          )!;
          const sums: [tf.Scalar, tf.Scalar] = [
            tf.add(lossSum, tf.mul(loss, size)) as tf.Scalar,
            tf.add(correctSum, correct!) as tf.Scalar,
          ];
          // `correct` escaped minimize's scope through tf.keep, so tidy will not free it.
          (correct as tf.Scalar | null)?.dispose();
          return sums;
        });
        lossSum.dispose();
        correctSum.dispose();
        lossSum = nextLoss;
        correctSum = nextCorrect;
        seen += size;
        await yieldToEventLoop();
      }
      order.dispose();
      const [lossTotal] = await lossSum.data();
      const [correctTotal] = await correctSum.data();
      lossSum.dispose();
      correctSum.dispose();
      if (seen === 0) break;
      const log: EpochLog = { epoch, loss: lossTotal! / seen, accuracy: correctTotal! / seen, valLoss: null, valAccuracy: null };
      if (xVal && yVal) {
        const [valLoss, valCorrect] = tf.tidy(() => {
          const p = head.predict(xVal) as tf.Tensor2D;
          return [crossEntropy(p, yVal), correctCount(p, yVal)];
        });
        log.valLoss = (await valLoss.data())[0]!;
        log.valAccuracy = (await valCorrect.data())[0]! / yVal.shape[0];
        valLoss.dispose();
        valCorrect.dispose();
      }
      history.push(log);
      options.onEpoch?.(log);
    }
    let validationProbabilities: Float32Array | null = null;
    if (xVal) {
      const p = tf.tidy(() => head.predict(xVal) as tf.Tensor2D);
      validationProbabilities = (await p.data()) as Float32Array;
      p.dispose();
    }
    return { head, history, stopped, validationProbabilities };
  } catch (error) {
    head.dispose();
    throw error;
  } finally {
    optimizer.dispose();
    tf.dispose([xTrain, yTrain, ...(xVal && yVal ? [xVal, yVal] : [])]);
  }
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
