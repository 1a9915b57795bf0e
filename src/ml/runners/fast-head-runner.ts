import * as tf from '@tensorflow/tfjs-core';
import { RawKernels } from '../raw-kernels';
import { yieldToEventLoop } from '../yield';
import { slotNames } from './autodiff-runner';
import { dropoutMasks } from './dropout';
import type { EpochRunner, OptimizerSlots, RunnerContext } from './runner';

type Info = tf.TensorInfo;

const BETA1 = 0.9;
const BETA2 = 0.999;
const MOMENTUM = 0.9;
const RMS_DECAY = 0.9;
const EPSILON = 1e-7;

/** Backends whose kernels this runner has been verified on (unit tests run both). */
export const FAST_HEAD_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * Head-only training with the gradients written out by hand and every operation a direct kernel call.
 * Teachable Machine's head is Dense(relu) → Dense(softmax), so its backward pass is four matrix
 * products; with softmax cross-entropy the logits' gradient is simply (p − y) · weight / batch. The
 * optimizer's update (Adam, momentum SGD or RMSprop, as tfjs defines them) is done the same way.
 * A step then costs about sixty kernel calls of a few microseconds, instead of ~130 through the engine,
 * and every matrix product stays on XNNPACK's fast path (operands are transposed explicitly).
 */
export class FastHeadRunner implements EpochRunner {
  readonly #k: RawKernels;
  readonly #variables: tf.Variable[];
  #params: Info[] = [];
  #slots: Info[][] = [];
  #iterations = 0;
  /** Targets (smoothed one-hot) per training row, kept in JS: batches are assembled here and written. */
  readonly #y: Float32Array;
  #scalars = new Map<number, Info>();

  private constructor(private readonly ctx: RunnerContext) {
    this.#k = new RawKernels(tf.getBackend());
    this.#variables = ctx.parts.head.trainableWeights.map((w) => w.read() as tf.Variable);
    const { train, numClasses, settings } = ctx;
    const eps = settings.labelSmoothing;
    this.#y = new Float32Array(train.labels.length * numClasses).fill(eps / numClasses);
    train.labels.forEach((label, row) => (this.#y[row * numClasses + label] = 1 - eps + eps / numClasses));
  }

  static async create(ctx: RunnerContext): Promise<FastHeadRunner> {
    const runner = new FastHeadRunner(ctx);
    await runner.writeWeights(await Promise.all(runner.#variables.map(async (v) => (await v.data()) as Float32Array)));
    runner.#resetSlots();
    return runner;
  }

  #scalar(value: number): Info {
    let info = this.#scalars.get(value);
    if (!info) {
      info = this.#k.write(Float32Array.of(value), []);
      this.#scalars.set(value, info);
    }
    return info;
  }

  #slotCount(): number {
    return this.ctx.settings.optimizer === 'sgd' ? 1 : 2;
  }

  #resetSlots(): void {
    for (const slots of this.#slots) this.#k.free(...slots);
    this.#slots = this.#params.map((p) =>
      Array.from({ length: this.#slotCount() }, () =>
        this.#k.write(new Float32Array(p.shape.reduce((a, b) => a * b, 1)), p.shape),
      ),
    );
    this.#iterations = 0;
  }

  async runEpoch(
    epoch: number,
    order: Int32Array,
    shouldStop: (() => boolean) | undefined,
  ): Promise<{ loss: number; accuracy: number } | null> {
    const k = this.#k;
    const { settings, classWeights, train, numClasses } = this.ctx;
    const n = order.length;
    const units = this.#params[1]!.shape[0]!;
    const masks = settings.dropout > 0 ? dropoutMasks(n, units, settings.dropout, settings.seed, epoch) : null;
    // Each batch's probabilities, kept on the backend and read once at the end: no sync per batch.
    const seen: { rows: Int32Array; p: Info }[] = [];
    try {
      for (let start = 0; start < n; start += settings.batchSize) {
        if (shouldStop?.()) return null;
        const size = Math.min(settings.batchSize, n - start);
        const rows = order.subarray(start, start + size);
        // Per-row loss weight: class weight / batch size (the last batch may be short).
        const weights = Float32Array.from(rows, (row) => (classWeights ? classWeights[train.labels[row]!]! : 1) / size);
        seen.push({ rows, p: this.#step(rows, weights, masks ? masks.subarray(start * units, (start + size) * units) : null) });
        await yieldToEventLoop();
      }
      let loss = 0;
      let right = 0;
      for (const { rows, p } of seen) {
        const values = await k.read(p);
        rows.forEach((row, i) => {
          const label = train.labels[row]!;
          loss -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, values[i * numClasses + label]!)));
          let best = 0;
          for (let c = 1; c < numClasses; c++) if (values[i * numClasses + c]! > values[i * numClasses + best]!) best = c;
          if (best === label) right++;
        });
      }
      return { loss: loss / n, accuracy: right / n };
    } finally {
      k.free(...seen.map((s) => s.p));
    }
  }

  /** Copies the given rows of a row-major array into one batch array. */
  #pick(source: Float32Array, rows: Int32Array, width: number): Float32Array {
    const out = new Float32Array(rows.length * width);
    rows.forEach((row, i) => out.set(source.subarray(row * width, (row + 1) * width), i * width));
    return out;
  }

  /**
   * One optimizer step on the training rows `rows`. The batch is assembled in JS and written: on WASM
   * that is a memcpy, where slicing a backend tensor copies all of it and gathering runs element by element.
   */
  #step(rows: Int32Array, rowWeights: Float32Array, mask: Float32Array | null): Info {
    const k = this.#k;
    const size = rows.length;
    const [W1, b1, W2] = this.#params as [Info, Info, Info];
    const { train, numClasses } = this.ctx;
    const features = train.rowShape[0]!;
    const xb = k.write(this.#pick(train.values, rows, features), [size, features]);
    const yb = k.write(this.#pick(this.#y, rows, numClasses), [size, numClasses]);
    const wb = k.write(rowWeights, [size, 1]);
    const mb = mask ? k.write(mask, [size, mask.length / size]) : null;
    const linear = k.matMul(xb, W1);
    const shifted = k.add(linear, b1);
    const h = k.relu(shifted);
    const hd = mb ? k.mul(h, mb) : h;
    const logits = k.matMul(hd, W2);
    const p = k.softmax(logits);
    const diff = k.sub(p, yb);
    const g = k.mul(diff, wb);
    const hdT = k.transpose(hd);
    const dW2 = k.matMul(hdT, g);
    const W2T = k.transpose(W2);
    const dh = k.matMul(g, W2T);
    const dhd = mb ? k.mul(dh, mb) : dh;
    const relu = k.positive(h);
    const dpre = k.mul(dhd, relu);
    const xbT = k.transpose(xb);
    const dW1 = k.matMul(xbT, dpre);
    const db1 = k.sumRows(dpre);
    k.free(xb, yb, wb, mb, linear, shifted, logits, diff, g, hdT, W2T, xbT, relu, dpre, dh, ...(mb ? [hd, dhd] : []), h);
    const grads = [dW1, db1, dW2];
    const l2 = this.ctx.settings.l2;
    if (l2 > 0) {
      for (const i of [0, 2]) {
        const decay = k.mul(this.#params[i]!, this.#scalar(2 * l2));
        const withDecay = k.add(grads[i]!, decay);
        k.free(decay, grads[i]);
        grads[i] = withDecay;
      }
    }
    this.#apply(grads);
    k.free(...grads);
    return p;
  }

  /** The optimizer's update, exactly as tfjs's optimizer of the same name defines it. */
  #apply(grads: Info[]): void {
    const k = this.#k;
    const { optimizer, learningRate } = this.ctx.settings;
    this.#iterations += 1;
    const t = this.#iterations;
    // Adam's bias corrections change every step: written per step, freed below (not cached).
    const c1 = 1 / (1 - BETA1 ** t);
    const c2 = 1 / (1 - BETA2 ** t);
    const rateT = k.write(Float32Array.of((learningRate * c1) / Math.sqrt(c2)), []);
    const epsilonT = k.write(Float32Array.of(EPSILON / Math.sqrt(c2)), []);
    grads.forEach((g, i) => {
      const param = this.#params[i]!;
      const slots = this.#slots[i]!;
      let next: Info;
      if (optimizer === 'sgd') {
        const kept = k.mul(slots[0]!, this.#scalar(MOMENTUM));
        const acc = k.add(kept, g);
        const step = k.mul(acc, this.#scalar(learningRate));
        next = k.sub(param, step);
        k.free(kept, step, slots[0]);
        this.#slots[i] = [acc];
      } else if (optimizer === 'rmsprop') {
        const g2 = k.square(g);
        const ms = this.#ema(slots[0]!, g2, RMS_DECAY);
        const shifted = k.add(ms, this.#scalar(EPSILON));
        const denom = k.sqrt(shifted);
        const scaled = k.mul(g, this.#scalar(learningRate));
        const mom = k.div(scaled, denom);
        next = k.sub(param, mom);
        k.free(g2, shifted, denom, scaled, slots[0], slots[1]);
        this.#slots[i] = [ms, mom];
      } else {
        // lr·m̂/(√v̂ + ε) with m̂ = m·c1, v̂ = v·c2 equals m·(lr·c1/√c2) / (√v + ε/√c2): two scalars
        // instead of two passes over the weights (W1 alone is 128,000 values).
        const g2 = k.square(g);
        const m = this.#ema(slots[0]!, g, BETA1);
        const v = this.#ema(slots[1]!, g2, BETA2);
        const root = k.sqrt(v);
        const denom = k.add(root, epsilonT);
        const ratio = k.div(m, denom);
        const step = k.mul(ratio, rateT);
        next = k.sub(param, step);
        k.free(g2, root, denom, ratio, step, slots[0], slots[1]);
        this.#slots[i] = [m, v];
      }
      k.free(param);
      this.#params[i] = next;
    });
    k.free(rateT, epsilonT);
  }

  /** decay · old + (1 − decay) · value, freeing the intermediate products. */
  #ema(old: Info, value: Info, decay: number): Info {
    const k = this.#k;
    const a = k.mul(old, this.#scalar(decay));
    const b = k.mul(value, this.#scalar(1 - decay));
    const sum = k.add(a, b);
    k.free(a, b);
    return sum;
  }

  async sync(): Promise<void> {
    const values = await this.readWeights();
    values.forEach((v, i) => tf.tidy(() => this.#variables[i]!.assign(tf.tensor(v, this.#variables[i]!.shape))));
  }

  readWeights(): Promise<Float32Array[]> {
    return Promise.all(this.#params.map(async (p) => (await this.#k.read(p)).slice()));
  }

  async writeWeights(values: Float32Array[]): Promise<void> {
    this.#k.free(...this.#params);
    this.#params = values.map((v, i) => this.#k.write(v.slice(), this.#variables[i]!.shape));
  }

  /** Slot names shared with the autodiff runner (see slotNames): a checkpoint resumes on either. */
  #slotName(variable: number, slot: number): string {
    return slotNames(this.ctx.settings.optimizer, this.#params.length)[1 + slot * this.#params.length + variable]!;
  }

  async slots(): Promise<OptimizerSlots[]> {
    const saved: OptimizerSlots = [{ name: 'iterations', values: Float32Array.of(this.#iterations), shape: [] }];
    for (let j = 0; j < this.#slotCount(); j++) {
      for (const [i, slots] of this.#slots.entries()) {
        saved.push({ name: this.#slotName(i, j), values: (await this.#k.read(slots[j]!)).slice(), shape: slots[j]!.shape });
      }
    }
    return [saved];
  }

  async restoreSlots(slots: OptimizerSlots[]): Promise<void> {
    const saved = slots[0];
    if (!saved?.length) return;
    this.#iterations = saved.find((s) => s.name === 'iterations')?.values[0] ?? 0;
    this.#slots = this.#params.map((_, i) =>
      Array.from({ length: this.#slotCount() }, (_, j) => {
        const slot = saved.find((s) => s.name === this.#slotName(i, j));
        if (!slot) throw new Error('The checkpoint does not match this optimizer; start a new training.');
        this.#k.free(this.#slots[i]?.[j]);
        return this.#k.write(slot.values.slice(), slot.shape);
      }),
    );
  }

  dispose(): void {
    this.#k.free(...this.#params, ...this.#slots.flat(), ...this.#scalars.values());
    this.#params = [];
    this.#slots = [];
    this.#scalars.clear();
  }
}
