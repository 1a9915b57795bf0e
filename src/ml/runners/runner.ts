import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { RegressionLoss, TrainingSettings } from '../../api/settings';

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

export type OptimizerSlots = { name: string; values: Float32Array; shape: number[] }[];

/**
 * What a loop minimises: cross-entropy over classes, or, for "Predict a number" projects, the squared
 * (MSE) or Huber error of one output against targets scaled to −1…1 (src/ml/regression.ts). For those,
 * `TrainingRows.labels` hold the scaled targets and "accuracy" is the share of rows predicted within
 * CLOSE_SHARE of the range.
 */
export type Objective = { kind: 'classify' } | { kind: 'regress'; loss: RegressionLoss };

export const CLASSIFY: Objective = { kind: 'classify' };

export interface RunnerContext {
  parts: TrainableParts;
  numClasses: number;
  objective?: Objective;
  settings: TrainingSettings;
  train: TrainingRows;
  classWeights: number[] | null;
}

/**
 * One way of running epochs. The loop (train-loop.ts) owns epochs, early stopping, checkpoints and
 * scoring; a runner owns the weights while an epoch runs, and the optimizer's state.
 */
export interface EpochRunner {
  /**
   * Runs one epoch over the rows in `order`. Returns null when stopped before its end, else the
   * epoch's running averages on the training rows (as Keras reports them: during the epoch, with
   * dropout on; loss with the true labels, no smoothing or weights).
   */
  runEpoch(
    epoch: number,
    order: Int32Array,
    shouldStop: (() => boolean) | undefined,
  ): Promise<{ loss: number; accuracy: number } | null>;
  /** Makes the model's variables hold the current weights (before scoring or saving them). */
  sync(): Promise<void>;
  /** Current weights: head variables, then suffix variables. */
  readWeights(): Promise<Float32Array[]>;
  writeWeights(values: Float32Array[]): Promise<void>;
  slots(): Promise<OptimizerSlots[]>;
  restoreSlots(slots: OptimizerSlots[]): Promise<void>;
  dispose(): void;
}
