/**
 * Everything a training run can be told. Plain data: stored with the project and with every run.
 * Ranges are enforced by normalizeSettings, so a stored or imported value can never break training.
 */
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';
export type BalanceMode = 'auto' | 'on' | 'off';
/** How a "Predict a number" model's errors are counted: squared (MSE), or Huber (a few wrong values pull it less). */
export type RegressionLoss = 'mse' | 'huber';

export interface AugmentationSettings {
  /** Extra augmented copies of each training photo; 0 turns augmentation off. */
  views: number;
  flip: boolean;
  rotate: boolean;
  crop: boolean;
  brightness: boolean;
  contrast: boolean;
  saturation: boolean;
}

export interface TrainingSettings {
  epochs: number;
  learningRate: number;
  batchSize: number;
  hiddenUnits: number;
  dropout: number;
  l2: number;
  labelSmoothing: number;
  optimizer: OptimizerName;
  validationFraction: number;
  seed: number;
  /** Class weights: 'auto' turns them on when the largest class is more than twice the smallest. */
  balance: BalanceMode;
  augmentation: AugmentationSettings;
  /** Inverted-residual blocks of MobileNetV2 to unfreeze, counted from the end; 0 trains the head only. */
  fineTuneBlocks: number;
  /** The unfrozen blocks learn at learningRate × this. */
  fineTuneRateFactor: number;
  earlyStopping: boolean;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  /** 0 for a single validation split, 3 to 10 for stratified k-fold cross-validation. */
  folds: number;
  /**
   * Once the held-back photos have chosen how many epochs to train, train the kept model again on every
   * photo (held-back ones included) for that many epochs. The reported score stays the one measured before.
   */
  refitOnAll: boolean;
  /**
   * That training on all photos is done this many times from different starts (seeds), and the kept model
   * averages their answers (src/ml/ensemble.ts). 1 keeps a single training. Head-only: not when fine-tuning.
   */
  averagedHeads: number;
  /** "Predict a number" projects only: the loss (docs/REGRESSION.md). Classification ignores it. */
  regressionLoss: RegressionLoss;
}

/** Teachable Machine's head training, the baseline Kiln is measured against. */
export const TEACHABLE_MACHINE_SETTINGS: TrainingSettings = {
  epochs: 50,
  learningRate: 0.001,
  batchSize: 16,
  hiddenUnits: 100,
  dropout: 0,
  l2: 0,
  labelSmoothing: 0,
  optimizer: 'adam',
  validationFraction: 0.15,
  seed: 42,
  balance: 'off',
  augmentation: { views: 0, flip: true, rotate: true, crop: true, brightness: true, contrast: true, saturation: true },
  fineTuneBlocks: 0,
  fineTuneRateFactor: 0.1,
  earlyStopping: false,
  patience: 10,
  folds: 0,
  refitOnAll: false,
  averagedHeads: 1,
  regressionLoss: 'mse',
};

/**
 * Kiln's defaults. Chosen by measurement on ../shared/datasets against Teachable Machine's settings:
 * see docs/TRAINING.md for the numbers and the reasoning.
 */
export const DEFAULT_SETTINGS: TrainingSettings = {
  ...TEACHABLE_MACHINE_SETTINGS,
  epochs: 100,
  learningRate: 0.003,
  dropout: 0.25,
  labelSmoothing: 0.1,
  balance: 'auto',
  augmentation: { ...TEACHABLE_MACHINE_SETTINGS.augmentation, views: 2 },
  earlyStopping: true,
  patience: 12,
  refitOnAll: true,
  averagedHeads: 3,
};

const clamp = (value: unknown, low: number, high: number, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(high, Math.max(low, value)) : fallback;
const integer = (value: unknown, low: number, high: number, fallback: number) => Math.round(clamp(value, low, high, fallback));
const bool = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);

/** Fills in missing fields from the defaults and clamps every number into its allowed range. */
export function normalizeSettings(
  input: Partial<TrainingSettings> | undefined,
  base: TrainingSettings = DEFAULT_SETTINGS,
): TrainingSettings {
  const s = input ?? {};
  const a: Partial<AugmentationSettings> = s.augmentation ?? {};
  const folds = integer(s.folds, 0, 10, base.folds);
  return {
    epochs: integer(s.epochs, 1, 1000, base.epochs),
    learningRate: clamp(s.learningRate, 1e-6, 1, base.learningRate),
    batchSize: integer(s.batchSize, 1, 512, base.batchSize),
    hiddenUnits: integer(s.hiddenUnits, 1, 2048, base.hiddenUnits),
    dropout: clamp(s.dropout, 0, 0.9, base.dropout),
    l2: clamp(s.l2, 0, 1, base.l2),
    labelSmoothing: clamp(s.labelSmoothing, 0, 0.5, base.labelSmoothing),
    optimizer: s.optimizer === 'sgd' || s.optimizer === 'rmsprop' || s.optimizer === 'adam' ? s.optimizer : base.optimizer,
    validationFraction: clamp(s.validationFraction, 0, 0.5, base.validationFraction),
    seed: integer(s.seed, 0, 2 ** 31 - 1, base.seed),
    balance: s.balance === 'on' || s.balance === 'off' || s.balance === 'auto' ? s.balance : base.balance,
    augmentation: {
      views: integer(a.views, 0, 8, base.augmentation.views),
      flip: bool(a.flip, base.augmentation.flip),
      rotate: bool(a.rotate, base.augmentation.rotate),
      crop: bool(a.crop, base.augmentation.crop),
      brightness: bool(a.brightness, base.augmentation.brightness),
      contrast: bool(a.contrast, base.augmentation.contrast),
      saturation: bool(a.saturation, base.augmentation.saturation),
    },
    fineTuneBlocks: integer(s.fineTuneBlocks, 0, 6, base.fineTuneBlocks),
    fineTuneRateFactor: clamp(s.fineTuneRateFactor, 0.001, 1, base.fineTuneRateFactor),
    earlyStopping: bool(s.earlyStopping, base.earlyStopping),
    patience: integer(s.patience, 1, 100, base.patience),
    folds: folds === 1 || folds === 2 ? 3 : folds,
    refitOnAll: bool(s.refitOnAll, base.refitOnAll),
    averagedHeads: integer(s.averagedHeads, 1, 5, base.averagedHeads),
    regressionLoss: s.regressionLoss === 'mse' || s.regressionLoss === 'huber' ? s.regressionLoss : base.regressionLoss,
  };
}
