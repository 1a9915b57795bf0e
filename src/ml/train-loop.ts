import * as tf from '@tensorflow/tfjs-core';
import type { EpochLog, ResumeState } from '../api/types';
import type { TrainingSettings } from '../api/settings';
import { hashSeed } from './augment';
import { afterEpoch, currentStoppingRule, forSteps, type StoppingRule } from './early-stopping';
import { seededRandom, shuffled } from './random';
import { AutodiffRunner } from './runners/autodiff-runner';
import { FAST_HEAD_BACKENDS, FastHeadRunner } from './runners/fast-head-runner';
import type { EpochRunner, Objective, TrainableParts, TrainingRows } from './runners/runner';
import { isClose, regressionLoss } from './regression';
import { UserError } from '../api/user-message';

export type { Objective, TrainableParts, TrainingRows };

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
  /** Classification unless given (see Objective). */
  objective?: Objective;
  settings: TrainingSettings;
  train: TrainingRows;
  validation: TrainingRows | null;
  classWeights: number[] | null;
  resume?: LoopCheckpoint;
  /** Called after every epoch; `checkpoint()` reads the loop's state to store it. */
  onEpoch?: (log: EpochLog, checkpoint: () => Promise<LoopCheckpoint>) => Promise<void> | void;
  /** Checked between batches: the loop stops within one batch of it turning true. */
  shouldStop?: () => boolean;
  /** How early stopping judges the validation loss (benchmarks compare rules). */
  stopping?: StoppingRule;
}

export interface TrainLoopResult {
  history: EpochLog[];
  stopped: boolean;
  /** The epoch whose weights the model ends with (the best one under early stopping). */
  finalEpoch: number;
  earlyStopped: boolean;
  /** Class probabilities for each validation row from the final weights (a regression's scaled values). */
  validationProbabilities: Float32Array | null;
}

const EVAL_CHUNK = 256;

/** Class probabilities for every row, in chunks, with dropout off. */
async function probabilities(parts: TrainableParts, rows: TrainingRows): Promise<Float32Array> {
  const n = rows.labels.length;
  const size = rows.rowShape.reduce((a, b) => a * b, 1);
  const numClasses = (parts.head.outputs[0]!.shape[1] as number) ?? 0;
  const out = new Float32Array(n * numClasses);
  for (let start = 0; start < n; start += EVAL_CHUNK) {
    const count = Math.min(EVAL_CHUNK, n - start);
    const p = tf.tidy(() => {
      const x = tf.tensor(rows.values.subarray(start * size, (start + count) * size), [count, ...rows.rowShape]);
      const features = parts.suffix ? (parts.suffix.predict(x) as tf.Tensor) : x;
      return parts.head.predict(features) as tf.Tensor;
    });
    out.set((await p.data()) as Float32Array, start * numClasses);
    p.dispose();
  }
  return out;
}

/** A regression's mean loss on scaled values, and the share of rows within CLOSE_SHARE of the range. */
function scoreValues(p: Float32Array, targets: readonly number[], loss: 'mse' | 'huber'): { loss: number; accuracy: number } {
  let sum = 0;
  let close = 0;
  targets.forEach((target, row) => {
    sum += regressionLoss(p[row]! - target, loss);
    if (isClose(p[row]! - target)) close++;
  });
  return { loss: sum / targets.length, accuracy: close / targets.length };
}

/** Cross-entropy (true labels, no smoothing or weights) and accuracy of probabilities against labels. */
function score(
  p: Float32Array,
  labels: readonly number[],
  numClasses: number,
  objective?: Objective,
): { loss: number; accuracy: number } {
  if (objective?.kind === 'regress') return scoreValues(p, labels, objective.loss);
  let loss = 0;
  let right = 0;
  labels.forEach((label, row) => {
    const offset = row * numClasses;
    loss -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, p[offset + label]!)));
    let best = 0;
    for (let k = 1; k < numClasses; k++) if (p[offset + k]! > p[offset + best]!) best = k;
    if (best === label) right++;
  });
  return { loss: loss / labels.length, accuracy: right / labels.length };
}

/** The fast hand-written head step where it is verified; tfjs autodiff for fine-tuning and on GPUs. */
async function makeRunner(options: TrainLoopOptions): Promise<EpochRunner> {
  const context = {
    parts: options.parts,
    numClasses: options.numClasses,
    objective: options.objective,
    settings: options.settings,
    train: options.train,
    classWeights: options.classWeights,
  };
  // The hand-written step is softmax cross-entropy only: regression goes through autodiff.
  const classifies = options.objective?.kind !== 'regress';
  if (classifies && !options.parts.suffix && FAST_HEAD_BACKENDS.has(tf.getBackend())) return FastHeadRunner.create(context);
  return new AutodiffRunner(context);
}

/**
 * The training loop for every kind of run: head only or fine-tuning, with class weights, label
 * smoothing, L2, dropout, early stopping that restores the best epoch (judged on a smoothed validation
 * loss, src/ml/early-stopping.ts), and checkpoints to resume from.
 * Training loss and accuracy are running averages over each epoch (as Keras reports them); the
 * held-back rows are scored after the epoch with dropout off.
 */
export async function trainLoop(options: TrainLoopOptions): Promise<TrainLoopResult> {
  const { parts, numClasses, settings } = options;
  const n = options.train.labels.length;
  if (n === 0) throw new UserError('train.noTrainingPhotos', 'There are no training photos.');
  const runner = await makeRunner(options);
  const validation = options.validation && options.validation.labels.length > 0 ? options.validation : null;
  const stopping = forSteps(options.stopping ?? currentStoppingRule(), Math.ceil(n / settings.batchSize));

  const r = options.resume;
  let state: LoopState = r
    ? { epoch: r.epoch, history: r.history, bestEpoch: r.bestEpoch, bestValLoss: r.bestValLoss, wait: r.wait }
    : { epoch: 0, history: [], bestEpoch: 0, bestValLoss: null, wait: 0 };
  let best: Float32Array[] | null = r?.bestWeights ?? null;
  if (r) {
    await runner.writeWeights(r.weights);
    await runner.restoreSlots(r.optimizers);
  }
  const checkpoint = async (): Promise<LoopCheckpoint> => ({
    ...structuredClone(state),
    weights: await runner.readWeights(),
    bestWeights: best,
    optimizers: await runner.slots(),
  });

  let stopped = false;
  let earlyStopped = false;
  try {
    while (state.epoch < settings.epochs && !stopped && !earlyStopped) {
      const epoch = state.epoch + 1;
      const order = Int32Array.from(
        shuffled(
          Array.from({ length: n }, (_, i) => i),
          seededRandom(hashSeed(`${settings.seed}:${epoch}`)),
        ),
      );
      const trained = await runner.runEpoch(epoch, order, options.shouldStop);
      if (!trained) {
        stopped = true; // stopped mid-epoch: that epoch does not count
        break;
      }
      await runner.sync();
      const held = validation
        ? score(await probabilities(parts, validation), validation.labels, numClasses, options.objective)
        : null;
      const log: EpochLog = {
        epoch,
        loss: trained.loss,
        accuracy: trained.accuracy,
        valLoss: held?.loss ?? null,
        valAccuracy: held?.accuracy ?? null,
      };
      const history = [...state.history, log];
      let { bestEpoch, bestValLoss, wait } = state;
      if (settings.earlyStopping && log.valLoss !== null) {
        const losses = history.map((h) => h.valLoss ?? 0);
        const next = afterEpoch(state, losses, settings.patience, stopping);
        ({ bestEpoch, bestValLoss, wait } = next.state);
        if (next.improved) best = await runner.readWeights();
        earlyStopped = next.stop;
      }
      state = { epoch, history, bestEpoch, bestValLoss, wait };
      await options.onEpoch?.(log, checkpoint);
    }

    let finalEpoch = state.epoch;
    if (best && settings.earlyStopping && state.bestEpoch !== state.epoch) {
      await runner.writeWeights(best);
      finalEpoch = state.bestEpoch;
    }
    await runner.sync();
    return {
      history: state.history,
      stopped,
      finalEpoch,
      earlyStopped,
      validationProbabilities: validation ? await probabilities(parts, validation) : null,
    };
  } finally {
    runner.dispose();
  }
}
