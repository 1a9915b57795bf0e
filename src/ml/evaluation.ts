/** Evaluation of a classifier from its predicted probabilities: pure TS, so the UI and the worker can both use it. */
import { argMaxRows, confusionMatrix } from './metrics';

export interface ClassMetrics {
  /** null when the class was never predicted. */
  precision: number | null;
  /** null when the class never occurs in the truth. */
  recall: number | null;
  /** null when both precision and recall are. */
  f1: number | null;
  /** How many rows truly belong to the class. */
  support: number;
  /** How many rows the model assigned to the class. */
  predicted: number;
}

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number | null;
  accuracy: number | null;
}

export interface Evaluation {
  count: number;
  accuracy: number | null;
  /** In class order. */
  perClass: ClassMetrics[];
  /** Unweighted mean over the classes with support > 0; an undefined precision counts as 0. */
  macro: Averages;
  /** Mean weighted by support. */
  weighted: Averages;
  /** counts[true][predicted] */
  confusion: number[][];
  /** Each confusion row divided by its sum; a row of zeros stays zeros. */
  normalized: number[][];
  /** Expected calibration error over RELIABILITY_BINS equal-width bins of top-class confidence. */
  ece: number | null;
  reliability: ReliabilityBin[];
  /** Mean cross-entropy of the true class, p clamped to LOG_LOSS_EPSILON. */
  logLoss: number | null;
}

export const RELIABILITY_BINS = 10;
const LOG_LOSS_EPSILON = 1e-7;

function checkShape(truth: readonly number[], probabilities: ArrayLike<number>, numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  if (probabilities.length !== truth.length * numClasses) {
    throw new RangeError(`expected ${truth.length}×${numClasses} probabilities, got ${probabilities.length}`);
  }
  truth.forEach((t, i) => {
    if (!Number.isInteger(t) || t < 0 || t >= numClasses)
      throw new RangeError(`truth[${i}] = ${t} is not a class index below ${numClasses}`);
  });
}

function binOf(confidence: number): number {
  // 1.0 belongs to the last bin; anything below 0 (should not happen) to the first.
  return Math.min(RELIABILITY_BINS - 1, Math.max(0, Math.floor(confidence * RELIABILITY_BINS)));
}

function f1Of(precision: number | null, recall: number | null): number | null {
  if (precision === null && recall === null) return null;
  const p = precision ?? 0;
  const r = recall ?? 0;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

export function evaluate(truth: readonly number[], probabilities: ArrayLike<number>, numClasses: number): Evaluation {
  checkShape(truth, probabilities, numClasses);
  const n = truth.length;
  const predicted = argMaxRows(probabilities, numClasses);
  const confusion = confusionMatrix(truth, predicted, numClasses);

  const perClass: ClassMetrics[] = confusion.map((row, k) => {
    const tp = row[k]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, r) => sum + r[k]!, 0);
    const precision = predictedCount > 0 ? tp / predictedCount : null;
    const recall = support > 0 ? tp / support : null;
    return { precision, recall, f1: f1Of(precision, recall), support, predicted: predictedCount };
  });

  // scikit-learn's zero_division=0: a class that was never predicted contributes precision 0 (and so F1 0) to the
  // averages. Unlike scikit-learn's default label set, classes absent from the truth are left out of the macro mean.
  const present = perClass.filter((c) => c.support > 0);
  const macro: Averages = {
    precision: mean(present.map((c) => c.precision ?? 0)),
    recall: mean(present.map((c) => c.recall ?? 0)),
    f1: mean(present.map((c) => c.f1 ?? 0)),
  };
  const weightedMean = (pick: (c: ClassMetrics) => number | null): number =>
    n === 0 ? 0 : present.reduce((sum, c) => sum + c.support * (pick(c) ?? 0), 0) / n;
  const weighted: Averages = {
    precision: weightedMean((c) => c.precision),
    recall: weightedMean((c) => c.recall),
    f1: weightedMean((c) => c.f1),
  };

  const normalized = confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total === 0 ? 0 : v / total));
  });

  const binCount = new Array<number>(RELIABILITY_BINS).fill(0);
  const binConfidence = new Array<number>(RELIABILITY_BINS).fill(0);
  const binCorrect = new Array<number>(RELIABILITY_BINS).fill(0);
  let correct = 0;
  let crossEntropy = 0;
  for (let i = 0; i < n; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    const confidence = probabilities[i * numClasses + p]!;
    const b = binOf(confidence);
    binCount[b]! += 1;
    binConfidence[b]! += confidence;
    if (p === t) {
      binCorrect[b]! += 1;
      correct++;
    }
    const pTrue = Math.min(1, Math.max(LOG_LOSS_EPSILON, probabilities[i * numClasses + t]!));
    crossEntropy -= Math.log(pTrue);
  }

  const reliability: ReliabilityBin[] = binCount.map((count, b) => ({
    lower: b / RELIABILITY_BINS,
    upper: (b + 1) / RELIABILITY_BINS,
    count,
    meanConfidence: count ? binConfidence[b]! / count : null,
    accuracy: count ? binCorrect[b]! / count : null,
  }));
  const ece =
    n === 0
      ? null
      : reliability.reduce(
          (sum, bin) => (bin.count ? sum + (bin.count / n) * Math.abs(bin.accuracy! - bin.meanConfidence!) : sum),
          0,
        );

  return {
    count: n,
    accuracy: n === 0 ? null : correct / n,
    perClass,
    macro,
    weighted,
    confusion,
    normalized,
    ece,
    reliability,
    logLoss: n === 0 ? null : crossEntropy / n,
  };
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** Misclassified rows sorted by the model's confidence in its (wrong) prediction, most confident first. */
export function mostConfusing(
  truth: readonly number[],
  probabilities: ArrayLike<number>,
  numClasses: number,
): { row: number; predicted: number; confidence: number; trueProbability: number }[] {
  checkShape(truth, probabilities, numClasses);
  const predicted = argMaxRows(probabilities, numClasses);
  const wrong: { row: number; predicted: number; confidence: number; trueProbability: number }[] = [];
  truth.forEach((t, row) => {
    const p = predicted[row]!;
    if (p === t) return;
    wrong.push({
      row,
      predicted: p,
      confidence: probabilities[row * numClasses + p]!,
      trueProbability: probabilities[row * numClasses + t]!,
    });
  });
  // Array.prototype.sort is stable, so equal confidences keep row order.
  return wrong.sort((a, b) => b.confidence - a.confidence);
}

/** Rows in a confusion cell. */
export function rowsInCell(
  truth: readonly number[],
  probabilities: ArrayLike<number>,
  numClasses: number,
  trueClass: number,
  predictedClass: number,
): number[] {
  checkShape(truth, probabilities, numClasses);
  const predicted = argMaxRows(probabilities, numClasses);
  const rows: number[] = [];
  truth.forEach((t, row) => {
    if (t === trueClass && predicted[row] === predictedClass) rows.push(row);
  });
  return rows;
}

/**
 * What each metric means, in words a 12-year-old can follow (no formulas): the English originals of the page's
 * `metrics.explain.*` messages.
 */
export const METRIC_EXPLANATIONS: Record<
  'accuracy' | 'precision' | 'recall' | 'f1' | 'support' | 'macro' | 'weighted' | 'confusion' | 'ece' | 'reliability' | 'logLoss',
  string
> = {
  accuracy: 'Out of all the photos it was checked on, the share the model named correctly.',
  precision: 'When the model says this class, how often it is right. Shown as “—” when it never said this class.',
  recall: 'Of the photos that really are this class, the share the model found.',
  f1: 'One score that mixes precision and recall: it is high only when both are high.',
  support: 'How many of the checked photos really are this class.',
  macro:
    'The plain average over the classes, so every class counts the same, big or small; a class the model never predicted counts as 0 for precision.',
  weighted: 'The average over the classes where bigger classes count more, by how many photos each has.',
  confusion:
    'A table of what each photo really is (rows) against what the model said (columns); the boxes where a row and a column name the same class are right answers, every other box is a mistake.',
  ece: 'Calibration error: how far the model’s confidence is, on average, from how often it is really right (0 is perfect).',
  reliability:
    'Photos grouped by how sure the model was, showing how often it was right in each group; a model that is exactly as sure as it should be follows the “Perfect calibration” line.',
  logLoss:
    'How surprised the model was by the right answers, on average; lower is better, and being sure but wrong costs the most.',
};
