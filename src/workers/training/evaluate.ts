import type { FoldResult, RunRecord } from '../../api/types';
import type { Fold } from '../../ml/folds';
import { accuracy, argMaxRows, confusionMatrix, macroF1 } from '../../ml/metrics';
import { isClose, regressionScores, unscaleTarget, type Quantity } from '../../ml/regression';
import type { Split } from '../../ml/split';
import type { TrainLoopResult } from '../../ml/train-loop';
import type { TrainingData } from './prepare';

/** A cross-validation fold's scores on the photos it held back; `index` counts from 0. */
export function scoreFold(index: number, fold: Fold, result: TrainLoopResult, data: TrainingData): FoldResult {
  const { labels } = data;
  const numClasses = data.classes.length;
  if (data.quantity) return scoreValueFold(index, fold, result, data, data.quantity);
  const truth = fold.validation.map((i) => labels[i]!);
  const predicted = argMaxRows(result.validationProbabilities!, numClasses);
  const confusion = confusionMatrix(truth, predicted, numClasses);
  return {
    fold: index + 1,
    accuracy: accuracy(truth, predicted),
    macroF1: macroF1(confusion),
    trainCount: fold.train.length,
    validationCount: fold.validation.length,
    epochs: result.finalEpoch,
  };
}

/** A "Predict a number" fold: RMSE, MAE and R² in the quantity's unit, and the share within 10 % of the range. */
function scoreValueFold(index: number, fold: Fold, result: TrainLoopResult, data: TrainingData, q: Quantity): FoldResult {
  const truth = fold.validation.map((i) => data.values[i]!);
  const scaled = Array.from(result.validationProbabilities!);
  const scores = regressionScores(
    truth,
    scaled.map((s) => unscaleTarget(s, q)),
  );
  return {
    fold: index + 1,
    accuracy: scaled.filter((s, row) => isClose(s - data.labels[fold.validation[row]!]!)).length / Math.max(1, scaled.length),
    macroF1: 0,
    rmse: scores.rmse,
    mae: scores.mae,
    r2: scores.r2,
    trainCount: fold.train.length,
    validationCount: fold.validation.length,
    epochs: result.finalEpoch,
  };
}

/** A "Predict a number" run's scores on its validation photos, and its answers on each (values in the unit). */
function evaluateValues(data: TrainingData, q: Quantity, split: Split, result: TrainLoopResult) {
  const truth = split.validation.map((i) => data.values[i]!);
  const predicted = result.validationProbabilities ? Array.from(result.validationProbabilities, (s) => unscaleTarget(s, q)) : [];
  const trainValues = split.train.map((i) => data.values[i]!);
  const trainMean = trainValues.reduce((a, b) => a + b, 0) / Math.max(1, trainValues.length);
  return {
    metrics: {
      trainCount: split.train.length,
      validationCount: split.validation.length,
      validationAccuracy: null,
      confusion: [],
      regression: truth.length ? regressionScores(truth, predicted, trainMean) : null,
    },
    validationPredictions: result.validationProbabilities
      ? { sampleIds: split.validation.map((i) => data.samples[i]!.id), truth, probabilities: predicted }
      : null,
  };
}

/** The kept model's confusion and accuracy on the validation photos, and its answers on each. */
export function evaluateValidation(
  data: TrainingData,
  split: Split,
  result: TrainLoopResult,
): Pick<RunRecord, 'metrics' | 'validationPredictions'> {
  if (data.quantity) return evaluateValues(data, data.quantity, split, result);
  const { samples, labels, classes } = data;
  const truth = split.validation.map((i) => labels[i]!);
  const predicted = result.validationProbabilities ? argMaxRows(result.validationProbabilities, classes.length) : [];
  return {
    metrics: {
      trainCount: split.train.length,
      validationCount: split.validation.length,
      validationAccuracy: truth.length ? accuracy(truth, predicted) : null,
      confusion: confusionMatrix(truth, predicted, classes.length),
    },
    validationPredictions: result.validationProbabilities
      ? {
          sampleIds: split.validation.map((i) => samples[i]!.id),
          truth,
          probabilities: Array.from(result.validationProbabilities),
        }
      : null,
  };
}
