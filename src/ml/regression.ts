/**
 * "Predict a number" projects (docs/REGRESSION.md): what the number is, how a typed or imported value is
 * checked, how targets are scaled for training, and the scores a regression model gets. Plain data, no
 * tensors: the page, the worker and the tests share it.
 */

/** The number a regression project predicts, e.g. ripeness 0–10 or fullness 0–100 %. */
export interface Quantity {
  /** What is measured ("ripeness"). */
  name: string;
  /** Its unit, possibly empty ("%", "cm", ""). */
  unit: string;
  /** The smallest and largest value a photo can have; min < max. */
  min: number;
  max: number;
}

/** The longest quantity name or unit a person can type. */
export const QUANTITY_TEXT_MAX = 40;

/** Why a quantity as typed cannot be used, as a message key; null when it can. */
export function quantityProblem(q: Quantity): 'quantity.nameMissing' | 'quantity.rangeInvalid' | null {
  if (q.name.trim() === '') return 'quantity.nameMissing';
  if (!Number.isFinite(q.min) || !Number.isFinite(q.max) || q.min >= q.max) return 'quantity.rangeInvalid';
  return null;
}

/**
 * Targets are scaled to [-1, 1] over the quantity's range (its middle at 0), so one learning rate and
 * one Huber threshold suit every range, and an output layer without bias starts near the middle.
 */
export function scaleTarget(value: number, q: Quantity): number {
  const half = (q.max - q.min) / 2;
  return (value - (q.min + half)) / half;
}

/** The inverse of scaleTarget: a model's output back in the quantity's unit. */
export function unscaleTarget(scaled: number, q: Quantity): number {
  const half = (q.max - q.min) / 2;
  return q.min + half + scaled * half;
}

/** The Huber loss's threshold on scaled targets: errors under 10 % of the range count squared, larger ones linearly. */
export const HUBER_DELTA = 0.2;

/** A photo counts as "close" when its prediction is within this share of the range (the training chart's second line). */
export const CLOSE_SHARE = 0.1;

/** The loss of one scaled error: squared (MSE), or Huber's (squared near 0, linear beyond HUBER_DELTA). */
export function regressionLoss(error: number, loss: 'mse' | 'huber'): number {
  const a = Math.abs(error);
  if (loss === 'mse') return error * error;
  return a <= HUBER_DELTA ? 0.5 * error * error : HUBER_DELTA * (a - 0.5 * HUBER_DELTA);
}

/** Whether a scaled error is within CLOSE_SHARE of the range (the scaled range is 2 wide). */
export function isClose(scaledError: number): boolean {
  return Math.abs(scaledError) <= CLOSE_SHARE * 2 + 1e-9;
}

export type ValueProblem = 'value.notANumber' | 'value.outOfRange';

/**
 * A value as typed or imported: a finite number inside the range (a decimal comma is accepted, as many
 * languages write one), or the reason it is refused.
 */
export function parseValue(text: string, q: Quantity): { value: number } | { problem: ValueProblem } {
  const trimmed = text.trim().replace(/^\+/, '');
  // Only plain decimals: "1e3", "0x10", "Infinity" and "" are not values a person labels a photo with.
  if (!/^-?(\d+([.,]\d*)?|[.,]\d+)$/.test(trimmed)) return { problem: 'value.notANumber' };
  const value = Number(trimmed.replace(',', '.'));
  if (!Number.isFinite(value)) return { problem: 'value.notANumber' };
  if (value < q.min || value > q.max) return { problem: 'value.outOfRange' };
  return { value };
}

export interface RegressionScores {
  count: number;
  /** Mean squared error, in the unit squared. */
  mse: number;
  /** Its square root, in the unit. */
  rmse: number;
  /** Mean absolute error, in the unit. */
  mae: number;
  /**
   * Coefficient of determination: 1 − (squared error ÷ squared spread around the true values' mean).
   * 1 is perfect, 0 no better than always answering the mean, below 0 worse. Null when every true value
   * is the same (the spread is 0).
   */
  r2: number | null;
  /** The RMSE of always answering the mean of the training values (when given): the baseline to beat. */
  baselineRmse: number | null;
}

/** MSE, RMSE, MAE and R² of predictions against true values (same unit); `trainMean` adds the baseline. */
export function regressionScores(
  truth: readonly number[],
  predicted: readonly number[],
  trainMean: number | null = null,
): RegressionScores {
  const n = truth.length;
  if (n === 0) return { count: 0, mse: Number.NaN, rmse: Number.NaN, mae: Number.NaN, r2: null, baselineRmse: null };
  let squared = 0;
  let absolute = 0;
  truth.forEach((t, i) => {
    const e = predicted[i]! - t;
    squared += e * e;
    absolute += Math.abs(e);
  });
  const mean = truth.reduce((a, b) => a + b, 0) / n;
  const spread = truth.reduce((sum, t) => sum + (t - mean) ** 2, 0);
  const baseline = trainMean === null ? null : Math.sqrt(truth.reduce((sum, t) => sum + (t - trainMean) ** 2, 0) / n);
  return {
    count: n,
    mse: squared / n,
    rmse: Math.sqrt(squared / n),
    mae: absolute / n,
    r2: spread === 0 ? null : 1 - squared / spread,
    baselineRmse: baseline,
  };
}

export interface RangeResiduals {
  /** The band of true values, [from, to) (the last includes `to`). */
  from: number;
  to: number;
  count: number;
  /** Mean of predicted − true: above 0 the model guesses too high in this band. */
  bias: number | null;
  mae: number | null;
}

/** Errors by band of true value (the range cut into `bands` equal parts): where the model is off, and which way. */
export function residualsByRange(
  truth: readonly number[],
  predicted: readonly number[],
  q: Quantity,
  bands = 4,
): RangeResiduals[] {
  const width = (q.max - q.min) / bands;
  return Array.from({ length: bands }, (_, b) => {
    const from = q.min + b * width;
    const to = b === bands - 1 ? q.max : q.min + (b + 1) * width;
    const errors = truth.flatMap((t, i) => (t >= from && (t < to || (b === bands - 1 && t <= to)) ? [predicted[i]! - t] : []));
    const count = errors.length;
    return {
      from,
      to,
      count,
      bias: count ? errors.reduce((a, e) => a + e, 0) / count : null,
      mae: count ? errors.reduce((a, e) => a + Math.abs(e), 0) / count : null,
    };
  });
}

/** Indices of the predictions furthest from the truth, largest error first (ties keep their order). */
export function largestErrors(truth: readonly number[], predicted: readonly number[], limit = Infinity): number[] {
  return truth
    .map((t, i) => ({ i, error: Math.abs(predicted[i]! - t) }))
    .sort((a, b) => b.error - a.error || a.i - b.i)
    .slice(0, limit)
    .map((e) => e.i);
}

/**
 * Bands for a split that keeps each part of the range in both training and validation (a regression's
 * "classes" for stratifiedSplit): the band index of each value, `bands` equal parts of the range.
 */
export function valueBands(values: readonly number[], q: Quantity, bands = 4): number[] {
  const width = (q.max - q.min) / bands;
  return values.map((v) => Math.min(bands - 1, Math.max(0, Math.floor((v - q.min) / width))));
}

/** Values from folder names: "7", "7.5" or "7,5" inside the range; null when the name is not one. */
export function valueFromFolderName(name: string, q: Quantity): number | null {
  const parsed = parseValue(name, q);
  return 'value' in parsed ? parsed.value : null;
}

/** Formats a value for people: up to 2 decimals, trailing zeros dropped, with the unit when there is one. */
export function formatValue(value: number, q: Pick<Quantity, 'unit'>, locale?: string): string {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
  return q.unit ? `${number} ${q.unit}` : number;
}
