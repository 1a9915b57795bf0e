import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { EpochLog, ResumeState } from '../shared/types';
import { hashSeed } from './augment';
import { seededRandom, shuffled } from './random';
import type { OptimizerName, TrainingSettings } from '../shared/settings';
import { yieldToEventLoop } from './yield';

/** Rows to train on: pooled embeddings (head only) or block-boundary activations (fine-tuning). */
export interface TrainingRows {
  /** rows × rowSize values, row-major. */
  values: Float32Array;
  /** Shape of one row: [1280] for embeddings, e.g. [7, 7, 56] at a block boundary. */
  rowShape: number[];
  labels: readonly number[];
}

/** The model being trained: Teachable Machine's head, and optionally the unfrozen end of the backbone. */
export interface TrainableParts {
  head: tfl.LayersModel;
  suffix: tfl.LayersModel | null;
  suffixVariables: tf.Variable[];
}

/** Where a loop stands: stored with each checkpoint, so a closed tab can resume exactly there. */
export interface LoopState {
  epoch: number;
  history: EpochLog[];
  bestEpoch: number;
  bestValLoss: number | null;
  /** Epochs since the best validation loss. */
  wait: number;
}

/**
 * Everything needed to continue a loop elsewhere: the state, current weights (head variables then
 * suffix variables, in a fixed order), the best epoch's weights, and the optimizers' slots (head first).
 */
export type LoopCheckpoint = ResumeState;

export interface TrainLoopOptions {
  parts: TrainableParts;
  numClasses: number;
  settings: TrainingSettings;
  train: TrainingRows;
  validation: TrainingRows | null;
  classWeights: number[] | null;
  resume?: LoopCheckpoint;
  /** Called after every epoch; `checkpoint()` reads the loop's state to store it. */
  onEpoch?: (log: EpochLog, checkpoint: () => Promise<LoopCheckpoint>) => Promise<void> | void;
  /** Checked between batches: the loop stops within one batch of it turning true. */
  shouldStop?: () => boolean;
}

export interface TrainLoopResult {
  history: EpochLog[];
  stopped: boolean;
  /** The epoch whose weights the model ends with (the best one under early stopping). */
  finalEpoch: number;
  earlyStopped: boolean;
  /** Class probabilities for each validation row from the final weights. */
  validationProbabilities: Float32Array | null;
}

const EVAL_CHUNK = 64;

function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.momentum(learningRate, 0.9);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    default:
      return tf.train.adam(learningRate);
  }
}

function rowSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A seed per (run seed, epoch, batch): resumable, and a fresh dropout mask every step. */
function stepSeed(seed: number, epoch: number, batch: number): number {
  return hashSeed(`${seed}:${epoch}:${batch}`);
}

/**
 * Forward pass. Dropout is applied by hand between the head's two Dense layers, only in training, so
 * the stored head stays exactly Teachable Machine's Dense → Dense (and loads in its library).
 */
function forward(parts: TrainableParts, x: tf.Tensor, dropout: number, seed: number | null): tf.Tensor2D {
  const features = parts.suffix ? (parts.suffix.apply(x, { training: false }) as tf.Tensor2D) : (x as tf.Tensor2D);
  const [hidden, classes] = parts.head.layers;
  let h = hidden!.apply(features) as tf.Tensor2D;
  if (seed !== null && dropout > 0) {
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(h.shape, 0, 1, 'float32', seed), dropout), 'float32');
    h = tf.div(tf.mul(h, keep), 1 - dropout);
  }
  return classes!.apply(h) as tf.Tensor2D;
}

function crossEntropyPerRow(probabilities: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(targets, tf.log(tf.clipByValue(probabilities, 1e-7, 1 - 1e-7))), -1));
}

async function readAll(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
}

async function optimizerSlots(optimizer: tf.Optimizer): Promise<LoopCheckpoint['optimizers'][number]> {
  const named = await optimizer.getWeights();
  return Promise.all(
    named.map(async (w) => ({ name: w.name, values: (await w.tensor.data()) as Float32Array, shape: w.tensor.shape })),
  );
}

/**
 * The training loop for every kind of run: head only or fine-tuning, with class weights, label
 * smoothing, L2, dropout, early stopping that restores the best epoch, and checkpoints to resume from.
 * Data stays on the backend; batches are gathered there; losses are summed there and read once per
 * epoch, so a batch costs one optimizer step and no synchronisation.
 */
export async function trainLoop(options: TrainLoopOptions): Promise<TrainLoopResult> {
  const { parts, numClasses, settings } = options;
  const n = options.train.labels.length;
  if (n === 0) throw new Error('There are no training photos.');
  const headVariables = parts.head.trainableWeights.map((w) => w.read() as tf.Variable);
  const allVariables = [...headVariables, ...parts.suffixVariables];
  const kernels = parts.head.layers.map((layer) => layer.getWeights()[0]!);
  const headOptimizer = makeOptimizer(settings.optimizer, settings.learningRate);
  const suffixOptimizer = parts.suffix
    ? makeOptimizer(settings.optimizer, settings.learningRate * settings.fineTuneRateFactor)
    : null;

  const shapeOf = (rows: TrainingRows) => [rows.labels.length, ...rows.rowShape];
  const xTrain = tf.tensor(options.train.values, shapeOf(options.train));
  const smoothing = settings.labelSmoothing;
  const yTrain = tf.tidy(() => {
    const oneHot = tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(options.train.labels), 'int32'), numClasses), 'float32');
    return smoothing > 0 ? tf.add(tf.mul(oneHot, 1 - smoothing), smoothing / numClasses) : oneHot;
  });
  const weightOfRow = options.classWeights
    ? tf.tensor1d(Float32Array.from(options.train.labels, (label) => options.classWeights![label]!))
    : null;
  const validation = options.validation && options.validation.labels.length > 0 ? options.validation : null;
  const xVal = validation ? tf.tensor(validation.values, shapeOf(validation)) : null;
  const yVal = validation
    ? tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(validation.labels), 'int32'), numClasses), 'float32'))
    : null;

  const r = options.resume;
  let state: LoopState = r
    ? { epoch: r.epoch, history: r.history, bestEpoch: r.bestEpoch, bestValLoss: r.bestValLoss, wait: r.wait }
    : { epoch: 0, history: [], bestEpoch: 0, bestValLoss: null, wait: 0 };
  let best: tf.Tensor[] | null = null;
  if (options.resume) {
    options.resume.weights.forEach((values, i) => allVariables[i]!.assign(tf.tensor(values, allVariables[i]!.shape)));
    best = options.resume.bestWeights?.map((values, i) => tf.tensor(values, allVariables[i]!.shape)) ?? null;
    const restore = async (optimizer: tf.Optimizer | null, slots: LoopCheckpoint['optimizers'][number] | undefined) => {
      if (optimizer && slots?.length)
        await optimizer.setWeights(slots.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape) })));
    };
    await restore(headOptimizer, options.resume.optimizers[0]);
    await restore(suffixOptimizer, options.resume.optimizers[1]);
  }

  const checkpoint = async (): Promise<LoopCheckpoint> => ({
    ...structuredClone(state),
    weights: await readAll(allVariables),
    bestWeights: best ? await readAll(best) : null,
    optimizers: [await optimizerSlots(headOptimizer), ...(suffixOptimizer ? [await optimizerSlots(suffixOptimizer)] : [])],
  });

  const evaluate = async (): Promise<{ loss: number; accuracy: number; probabilities: Float32Array } | null> => {
    if (!xVal || !yVal) return null;
    const rows = yVal.shape[0];
    const chunks: tf.Tensor2D[] = [];
    for (let start = 0; start < rows; start += EVAL_CHUNK) {
      const size = Math.min(EVAL_CHUNK, rows - start);
      chunks.push(tf.tidy(() => forward(parts, tf.slice(xVal, start, size), 0, null)));
    }
    const probabilities = tf.concat(chunks) as tf.Tensor2D;
    tf.dispose(chunks);
    const [lossT, correctT] = tf.tidy(() => [
      tf.mean(crossEntropyPerRow(probabilities, yVal as tf.Tensor2D)),
      tf.sum(tf.cast(tf.equal(tf.argMax(probabilities, -1), tf.argMax(yVal, -1)), 'float32')),
    ]);
    const [loss, correct, values] = await Promise.all([lossT!.data(), correctT!.data(), probabilities.data()]);
    tf.dispose([lossT!, correctT!, probabilities]);
    return { loss: loss[0]!, accuracy: correct[0]! / rows, probabilities: values as Float32Array };
  };

  let stopped = false;
  let earlyStopped = false;
  try {
    while (state.epoch < settings.epochs && !stopped && !earlyStopped) {
      const epoch = state.epoch + 1;
      const order = tf.tensor1d(
        Int32Array.from(
          shuffled(
            Array.from({ length: n }, (_, i) => i),
            seededRandom(hashSeed(`${settings.seed}:${epoch}`)),
          ),
        ),
        'int32',
      );
      let lossSum: tf.Scalar = tf.scalar(0);
      let correctSum: tf.Scalar = tf.scalar(0);
      let seen = 0;
      for (let start = 0, batch = 0; start < n; start += settings.batchSize, batch++) {
        if (options.shouldStop?.()) {
          stopped = true;
          break;
        }
        const size = Math.min(settings.batchSize, n - start);
        const sums = tf.tidy(() => {
          const indices = tf.slice(order, start, size);
          const xb = tf.gather(xTrain, indices);
          const yb = tf.gather(yTrain, indices) as tf.Tensor2D;
          const wb = weightOfRow ? tf.gather(weightOfRow, indices) : null;
          let correct: tf.Scalar | null = null;
          const { value, grads } = tf.variableGrads(() => {
            const p = forward(parts, xb, settings.dropout, stepSeed(settings.seed, epoch, batch));
            correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(yb, -1)), 'float32')));
            const perRow = crossEntropyPerRow(p, yb);
            let loss = tf.div(tf.sum(wb ? tf.mul(perRow, wb) : perRow), size) as tf.Scalar;
            if (settings.l2 > 0)
              loss = tf.add(loss, tf.mul(settings.l2, tf.addN(kernels.map((k) => tf.sum(tf.square(k)))))) as tf.Scalar;
            return loss;
          }, allVariables);
          const headGrads: Record<string, tf.Tensor> = {};
          const suffixGrads: Record<string, tf.Tensor> = {};
          headVariables.forEach((v) => (headGrads[v.name] = grads[v.name]!));
          parts.suffixVariables.forEach((v) => (suffixGrads[v.name] = grads[v.name]!));
          headOptimizer.applyGradients(headGrads);
          if (suffixOptimizer) suffixOptimizer.applyGradients(suffixGrads);
          const next: [tf.Scalar, tf.Scalar] = [tf.add(lossSum, tf.mul(value, size)), tf.add(correctSum, correct!)];
          // `correct` escaped variableGrads' scope through tf.keep, so tidy will not free it.
          (correct as tf.Scalar | null)?.dispose();
          return next;
        });
        lossSum.dispose();
        correctSum.dispose();
        [lossSum, correctSum] = sums;
        seen += size;
        await yieldToEventLoop();
      }
      order.dispose();
      const [lossTotal, correctTotal] = await Promise.all([lossSum.data(), correctSum.data()]);
      tf.dispose([lossSum, correctSum]);
      if (seen < n) break; // stopped mid-epoch: that epoch does not count
      const scored = await evaluate();
      const log: EpochLog = {
        epoch,
        loss: lossTotal[0]! / seen,
        accuracy: correctTotal[0]! / seen,
        valLoss: scored?.loss ?? null,
        valAccuracy: scored?.accuracy ?? null,
      };
      const history = [...state.history, log];
      let { bestEpoch, bestValLoss, wait } = state;
      if (settings.earlyStopping && log.valLoss !== null) {
        if (bestValLoss === null || log.valLoss < bestValLoss - 1e-6) {
          bestEpoch = epoch;
          bestValLoss = log.valLoss;
          wait = 0;
          if (best) tf.dispose(best);
          best = allVariables.map((v) => tf.clone(v));
        } else {
          wait += 1;
          earlyStopped = wait >= settings.patience;
        }
      }
      state = { epoch, history, bestEpoch, bestValLoss, wait };
      await options.onEpoch?.(log, checkpoint);
    }

    let finalEpoch = state.epoch;
    if (best && settings.earlyStopping && state.bestEpoch !== state.epoch) {
      best.forEach((values, i) => allVariables[i]!.assign(values));
      finalEpoch = state.bestEpoch;
    }
    const scored = await evaluate();
    return {
      history: state.history,
      stopped,
      finalEpoch,
      earlyStopped,
      validationProbabilities: scored?.probabilities ?? null,
    };
  } finally {
    headOptimizer.dispose();
    suffixOptimizer?.dispose();
    if (best) tf.dispose(best);
    tf.dispose([xTrain, yTrain, ...(weightOfRow ? [weightOfRow] : []), ...(xVal ? [xVal] : []), ...(yVal ? [yVal] : [])]);
  }
}

/** Row size helper for callers packing rows. */
export { rowSize };
