import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerName } from '../../api/settings';
import { yieldToEventLoop } from '../yield';
import { dropoutMasks } from './dropout';
import { CLOSE_SHARE, HUBER_DELTA } from '../regression';
import type { EpochRunner, OptimizerSlots, RunnerContext } from './runner';

/** Per-row loss of scaled errors [rows, 1] → [rows]: squared, or Huber's (as Keras defines it). */
function regressionRowLoss(error: tf.Tensor2D, loss: 'mse' | 'huber'): tf.Tensor1D {
  const e = tf.reshape(error, [-1]) as tf.Tensor1D;
  if (loss === 'mse') return tf.square(e);
  // 0.5·min(|e|, δ)² + δ·(|e| − min(|e|, δ)): Huber's loss written with ops that all have gradients.
  const a = tf.abs(e);
  const near = tf.minimum(a, HUBER_DELTA);
  return tf.add(tf.mul(0.5, tf.square(near)), tf.mul(HUBER_DELTA, tf.sub(a, near)));
}

export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.momentum(learningRate, 0.9);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    default:
      return tf.train.adam(learningRate);
  }
}

/**
 * Disposes an optimizer completely: tfjs's MomentumOptimizer.dispose forgets the learning-rate scalar
 * its SGD parent keeps (`c`), one tensor per run otherwise.
 */
function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (optimizer instanceof tf.MomentumOptimizer && c && !c.isDisposed) c.dispose();
}

/**
 * Optimizer state in a form both runners share, so a run checkpointed on one backend resumes on another:
 * 'iterations', then the slots in tfjs's order with names by kind and variable index (m0…, v0… for
 * Adam; acc0… for momentum; ms0…, mom0… for RMSprop). tfjs matches slots to variables by position.
 */
export function slotNames(optimizer: OptimizerName, variables: number): string[] {
  const kinds = optimizer === 'sgd' ? ['acc'] : optimizer === 'rmsprop' ? ['ms', 'mom'] : ['m', 'v'];
  return ['iterations', ...kinds.flatMap((kind) => Array.from({ length: variables }, (_, i) => `${kind}${i}`))];
}

async function slotsOf(optimizer: tf.Optimizer, kind: OptimizerName, variables: number): Promise<OptimizerSlots> {
  const named = await optimizer.getWeights();
  const names = slotNames(kind, variables);
  try {
    return await Promise.all(
      named.map(async (w, i) => ({
        name: names[i] ?? w.name,
        values: (await w.tensor.data()) as Float32Array,
        shape: w.tensor.shape,
      })),
    );
  } finally {
    // getWeights() makes a new scalar for the iteration count each call (the slots are the optimizer's own).
    named[0]?.tensor.dispose();
  }
}

/**
 * Epochs through tfjs's autodiff: general enough for fine-tuning, where gradients flow through the
 * unfrozen MobileNetV2 blocks. The unfrozen blocks have their own optimizer with a lower rate.
 */
export class AutodiffRunner implements EpochRunner {
  #headVariables: tf.Variable[];
  #all: tf.Variable[];
  #kernels: tf.Variable[];
  #headOptimizer: tf.Optimizer;
  #suffixOptimizer: tf.Optimizer | null;
  #x: tf.Tensor;
  #y: tf.Tensor2D;
  #rowWeight: tf.Tensor1D | null;
  #labels: tf.Tensor1D;

  constructor(private readonly ctx: RunnerContext) {
    const { parts, settings, numClasses, train } = ctx;
    this.#headVariables = parts.head.trainableWeights.map((w) => w.read() as tf.Variable);
    this.#all = [...this.#headVariables, ...parts.suffixVariables];
    this.#kernels = parts.head.layers.map((layer) => layer.getWeights()[0] as tf.Variable);
    this.#headOptimizer = makeOptimizer(settings.optimizer, settings.learningRate);
    this.#suffixOptimizer = parts.suffix
      ? makeOptimizer(settings.optimizer, settings.learningRate * settings.fineTuneRateFactor)
      : null;
    this.#x = tf.tensor(train.values, [train.labels.length, ...train.rowShape]);
    const smoothing = settings.labelSmoothing;
    // Regression: the labels are the scaled targets themselves (one column); no smoothing, no class weights.
    this.#y = tf.tidy(() => {
      if (ctx.objective?.kind === 'regress') return tf.tensor2d(Float32Array.from(train.labels), [train.labels.length, 1]);
      const oneHot = tf.cast(
        tf.oneHot(tf.tensor1d(Int32Array.from(train.labels), 'int32'), numClasses),
        'float32',
      ) as tf.Tensor2D;
      return smoothing > 0 ? tf.add(tf.mul(oneHot, 1 - smoothing), smoothing / numClasses) : oneHot;
    });
    this.#labels = tf.tensor1d(Int32Array.from(train.labels), 'int32');
    this.#rowWeight = ctx.classWeights
      ? tf.tensor1d(Float32Array.from(train.labels, (label) => ctx.classWeights![label]!))
      : null;
  }

  async runEpoch(
    epoch: number,
    order: Int32Array,
    shouldStop: (() => boolean) | undefined,
  ): Promise<{ loss: number; accuracy: number } | null> {
    const { parts, settings, objective } = this.ctx;
    const n = order.length;
    const hidden = parts.head.layers[0]!;
    const units = (hidden.getWeights()[0] as tf.Tensor).shape[1]!;
    const orderT = tf.tensor1d(order, 'int32');
    const masks =
      settings.dropout > 0 ? tf.tensor2d(dropoutMasks(n, units, settings.dropout, settings.seed, epoch), [n, units]) : null;
    // Sums of per-row loss (true labels) and right answers, kept on the backend and read once.
    let lossSum: tf.Scalar = tf.scalar(0);
    let rightSum: tf.Scalar = tf.scalar(0);
    try {
      for (let start = 0; start < n; start += settings.batchSize) {
        if (shouldStop?.()) return null;
        const size = Math.min(settings.batchSize, n - start);
        const sums = tf.tidy(() => {
          const indices = tf.slice(orderT, start, size);
          const xb = tf.gather(this.#x, indices);
          const yb = tf.gather(this.#y, indices) as tf.Tensor2D;
          const wb = this.#rowWeight ? tf.gather(this.#rowWeight, indices) : null;
          const mask = masks ? tf.slice(masks, [start, 0], [size, units]) : null;
          let seen: [tf.Scalar, tf.Scalar] | null = null;
          const { grads } = tf.variableGrads(() => {
            const features = parts.suffix ? (parts.suffix.apply(xb, { training: false }) as tf.Tensor2D) : (xb as tf.Tensor2D);
            const [dense, classes] = parts.head.layers;
            let h = dense!.apply(features) as tf.Tensor2D;
            if (mask) h = tf.mul(h, mask);
            const p = classes!.apply(h) as tf.Tensor2D;
            if (objective?.kind === 'regress') {
              const error = tf.sub(p, yb) as tf.Tensor2D;
              const perRow = regressionRowLoss(error, objective.loss);
              seen = [
                tf.keep(tf.add(lossSum, tf.sum(perRow))) as tf.Scalar,
                tf.keep(
                  tf.add(rightSum, tf.sum(tf.cast(tf.lessEqual(tf.abs(error), CLOSE_SHARE * 2 + 1e-9), 'float32'))),
                ) as tf.Scalar,
              ];
              let loss = tf.div(tf.sum(perRow), size) as tf.Scalar;
              if (settings.l2 > 0)
                loss = tf.add(loss, tf.mul(settings.l2, tf.addN(this.#kernels.map((k) => tf.sum(tf.square(k)))))) as tf.Scalar;
              return loss;
            }
            const truth = tf.gather(this.#labels, indices);
            const pTrue = tf.sum(tf.mul(p, tf.oneHot(truth, this.ctx.numClasses)), -1);
            seen = [
              tf.keep(tf.sub(lossSum, tf.sum(tf.log(tf.clipByValue(pTrue, 1e-7, 1 - 1e-7))))) as tf.Scalar,
              tf.keep(tf.add(rightSum, tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), truth), 'float32')))) as tf.Scalar,
            ];
            const perRow = tf.neg(tf.sum(tf.mul(yb, tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))), -1));
            let loss = tf.div(tf.sum(wb ? tf.mul(perRow, wb) : perRow), size) as tf.Scalar;
            if (settings.l2 > 0)
              loss = tf.add(loss, tf.mul(settings.l2, tf.addN(this.#kernels.map((k) => tf.sum(tf.square(k)))))) as tf.Scalar;
            return loss;
          }, this.#all);
          const pick = (vars: tf.Variable[]) => Object.fromEntries(vars.map((v) => [v.name, grads[v.name]!]));
          this.#headOptimizer.applyGradients(pick(this.#headVariables));
          if (this.#suffixOptimizer) this.#suffixOptimizer.applyGradients(pick(parts.suffixVariables));
          return seen!;
        });
        tf.dispose([lossSum, rightSum]);
        [lossSum, rightSum] = sums;
        await yieldToEventLoop();
      }
      const [loss, right] = await Promise.all([lossSum.data(), rightSum.data()]);
      return { loss: loss[0]! / n, accuracy: right[0]! / n };
    } finally {
      tf.dispose([orderT, lossSum, rightSum, ...(masks ? [masks] : [])]);
    }
  }

  async sync(): Promise<void> {
    // The variables are the weights: nothing to copy.
  }

  readWeights(): Promise<Float32Array[]> {
    return Promise.all(this.#all.map(async (v) => (await v.data()) as Float32Array));
  }

  async writeWeights(values: Float32Array[]): Promise<void> {
    values.forEach((v, i) => tf.tidy(() => this.#all[i]!.assign(tf.tensor(v, this.#all[i]!.shape))));
  }

  async slots(): Promise<OptimizerSlots[]> {
    const kind = this.ctx.settings.optimizer;
    return [
      await slotsOf(this.#headOptimizer, kind, this.#headVariables.length),
      ...(this.#suffixOptimizer ? [await slotsOf(this.#suffixOptimizer, kind, this.ctx.parts.suffixVariables.length)] : []),
    ];
  }

  async restoreSlots(slots: OptimizerSlots[]): Promise<void> {
    const kind = this.ctx.settings.optimizer;
    const restore = async (optimizer: tf.Optimizer | null, saved: OptimizerSlots | undefined, variables: number) => {
      if (!optimizer || !saved?.length) return;
      const ordered = slotNames(kind, variables).map((name) => {
        const slot = saved.find((s) => s.name === name);
        if (!slot) throw new Error('The checkpoint does not match this optimizer; start a new training.');
        return { name, tensor: tf.tensor(slot.values, slot.shape) };
      });
      await optimizer.setWeights(ordered);
    };
    await restore(this.#headOptimizer, slots[0], this.#headVariables.length);
    await restore(this.#suffixOptimizer, slots[1], this.ctx.parts.suffixVariables.length);
  }

  dispose(): void {
    disposeOptimizer(this.#headOptimizer);
    if (this.#suffixOptimizer) disposeOptimizer(this.#suffixOptimizer);
    tf.dispose([this.#x, this.#y, this.#labels, ...(this.#rowWeight ? [this.#rowWeight] : [])]);
  }
}
