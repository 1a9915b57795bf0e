import type { FoldResult, RunRecord } from '../../api/types';
import type { Fold } from '../../ml/folds';
import { accuracy, argMaxRows, confusionMatrix, macroF1 } from '../../ml/metrics';
import type { Split } from '../../ml/split';
import type { TrainLoopResult } from '../../ml/train-loop';
import type { TrainingData } from './prepare';

/** A cross-validation fold's scores on the photos it held back; `index` counts from 0. */
export function scoreFold(
  index: number,
  fold: Fold,
  result: TrainLoopResult,
  labels: readonly number[],
  numClasses: number,
): FoldResult {
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

/** The kept model's confusion and accuracy on the validation photos, and its answers on each. */
export function evaluateValidation(
  { samples, labels, classes }: TrainingData,
  split: Split,
  result: TrainLoopResult,
): Pick<RunRecord, 'metrics' | 'validationPredictions'> {
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
