import type { Quantity, RegressionScores } from '../../ml/regression';
import type { TrainingSettings } from '../settings';
import type { BackendName } from './engine';
import type { CropMode } from './records';

/** A training run as stored: settings, curves, metrics, cross-validation and the model's answers. Plain data: it crosses the worker boundary by structured clone. */

export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
}

export interface RunMetrics {
  trainCount: number;
  validationCount: number;
  /** Null when there were too few photos to hold any back. */
  validationAccuracy: number | null;
  /** confusion[true][predicted] over the validation photos. */
  confusion: number[][];
  /** A "Predict a number" run's scores on the validation photos (its accuracy and confusion stay empty). */
  regression?: RegressionScores | null;
}

/** 'running' while a worker trains it; a 'running' run whose worker is gone was interrupted and can resume. */
export type RunStatus = 'running' | 'completed' | 'stopped';

export interface FoldResult {
  fold: number;
  /** For a "Predict a number" run: the share of photos within 10 % of the range (see CLOSE_SHARE). */
  accuracy: number;
  /** 0 for a "Predict a number" run, which has `rmse`, `mae` and `r2` instead. */
  macroF1: number;
  rmse?: number;
  mae?: number;
  r2?: number | null;
  trainCount: number;
  validationCount: number;
  epochs: number;
}

export interface MeanStd {
  mean: number;
  std: number;
}

export interface CrossValidationSummary {
  k: number;
  folds: FoldResult[];
  /** Filled once every fold has run. */
  accuracy: MeanStd | null;
  macroF1: MeanStd | null;
  /** "Predict a number" runs: RMSE over the folds, in the quantity's unit. */
  rmse?: MeanStd | null;
}

export interface RunRecord {
  id: string;
  projectId: string;
  createdAt: number;
  durationMs: number;
  status: RunStatus;
  backboneId: string;
  /** The backbone's name when the run was made (custom backbones have no catalogue entry). */
  backboneName: string;
  backend: BackendName;
  settings: TrainingSettings;
  classes: { id: string; name: string; count: number }[];
  curves: EpochLog[];
  metrics: RunMetrics;
  /** The epoch whose weights the model has: the best one when early stopping restored it. */
  finalEpoch: number;
  earlyStopped: boolean;
  /** Per-class loss weights used, or null when classes were balanced enough. */
  classWeights: number[] | null;
  crossValidation: CrossValidationSummary | null;
  /** The photos on each side of the split, by sample id: a resumed run uses exactly these. */
  split: { train: string[]; validation: string[] };
  /** MobileNetV2 blocks unfrozen (0: head only). */
  fineTunedBlocks: number;
  /** Backbone passes this run needed, and embeddings it found cached from earlier runs. */
  embeddings: {
    computed: number;
    reused: number;
    /** Photos embedded per second in this run (decode to stored embedding), when it embedded 20 or more. */
    imagesPerSecond?: number | null;
  };
  /** Set on a model brought in from a file rather than trained here. */
  imported?: ImportedModelInfo | null;
  /** The model's answers on the validation photos (runs from before this field have none). */
  validationPredictions?: PredictionSet | null;
  /** The model's answers on the photos marked "test only", never trained or validated on. */
  testPredictions?: PredictionSet | null;
  /** What the run was trained on: photos per class (run class order) and a hash of the set of photos. */
  data?: DataSummary | null;
  /** The run whose head weights this one started from (continuing an imported model), if any. */
  startedFrom?: string | null;
  /** How photos were turned into model input for this run; runs from before this field used 'center'. */
  cropMode?: CropMode;
  /**
   * Set when the kept model was trained again on every photo (held-back ones too) for the epochs the
   * held-back photos chose; its validation score is from before. Absent on older runs and when off.
   */
  refit?: { epochs: number; photos: number; heads?: number } | null;
  /**
   * The temperature the kept model's logits were divided by (calibrated on the held-back photos; already in
   * its weights). Absent when not calibrated (too few held-back photos, older runs).
   */
  temperature?: number | null;
  /**
   * A "Predict a number" run: the quantity as it was when trained. Its single class holds every photo, its
   * prediction sets give values (see PredictionSet) and `metrics.regression` its scores.
   */
  quantity?: Quantity | null;
  /** A "Predict a number" run: the mean of its training values (what "always answer the mean" would say). */
  trainMean?: number | null;
}

export interface ImportedModelInfo {
  source: 'teachable-machine';
  fileName: string;
  /** What the export's metadata says made it, e.g. "Teachable Machine 2.4.4". */
  madeWith: string;
  savedAt: string | null;
}

/**
 * A model's answers on a set of photos; the photos may have been deleted or moved since. For a "Predict a
 * number" run, `truth` holds each photo's true value and `probabilities` the predicted value (one per photo), both
 * in the quantity's unit.
 */
export interface PredictionSet {
  sampleIds: string[];
  /** True class index (run class order) per photo. */
  truth: number[];
  /** sampleIds.length × classes, row-major, in run class order. */
  probabilities: number[];
}

export interface DataSummary {
  /** Training + validation photos per class, in run class order. */
  classCounts: number[];
  testCount: number;
  /** SHA-256 of the sorted photo content hashes: equal sets of photos give equal hashes. */
  sampleSetHash: string;
}
