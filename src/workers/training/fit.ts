import type { TrainingSettings } from '../../api/settings';
import type { CrossValidationSummary, EpochLog, RunRecord } from '../../api/types';
import { classWeights } from '../../ml/class-weights';
import { stratifiedKFold } from '../../ml/folds';
import { meanStd } from '../../ml/metrics';
import { refitSettings, type RefitPlan } from '../../ml/refit';
import type { Split } from '../../ml/split';
import { trainLoop, type LoopCheckpoint, type TrainableParts, type TrainLoopResult } from '../../ml/train-loop';
import type { KilnDB } from '../../storage/db';
import { putRunProgress } from '../../storage/runs';
import { scoreFold } from './evaluate';
import type { StartingParts } from './parts';
import type { TrainingData } from './prepare';
import { progress, type TrainControl } from './progress';
import type { RowLookup } from './rows';

/** What every training loop of a run reads. */
export interface FitInputs {
  db: KilnDB;
  data: TrainingData;
  split: Split;
  rows: RowLookup;
  start: StartingParts;
  control: TrainControl;
}

/** Cross-validation: k models on cached rows, each scored on the fold it did not see; false when stopped. */
export async function crossValidate(
  { db, data, rows, start, control }: FitInputs,
  run: RunRecord,
  cv: CrossValidationSummary,
): Promise<boolean> {
  const { labels, settings, objective } = data;
  const numClasses = data.classes.length;
  const folds = stratifiedKFold(data.strata, cv.k, settings.seed);
  for (let f = cv.folds.length; f < folds.length; f++) {
    const fold = folds[f]!;
    const parts = start.fresh();
    const foldLabels = fold.train.map((i) => labels[i]!);
    try {
      const result = await trainLoop({
        parts,
        numClasses,
        objective,
        settings,
        train: rows.training(fold.train),
        validation: rows.validation(fold.validation),
        classWeights: weightsFor(data, foldLabels),
        shouldStop: control.isCancelled,
        onEpoch: (epoch) =>
          control.onProgress?.(
            progress({
              phase: 'fold',
              done: epoch.epoch,
              total: settings.epochs,
              epoch,
              fold: { index: f + 1, count: cv.k },
            }),
          ),
      });
      if (result.stopped) return false;
      cv.folds = [...cv.folds, scoreFold(f, fold, result, data)];
      await putRunProgress(db, run);
    } finally {
      parts.head.dispose();
    }
  }
  cv.accuracy = meanStd(cv.folds.map((f) => f.accuracy));
  cv.macroF1 = meanStd(cv.folds.map((f) => f.macroF1));
  if (data.quantity) cv.rmse = meanStd(cv.folds.map((f) => f.rmse ?? Number.NaN));
  return true;
}

/** Class weights for these labels, when the run balances classes; a "Predict a number" run has none. */
function weightsFor(data: TrainingData, labels: number[]): number[] | null {
  return data.quantity ? null : classWeights(labels, data.classes.length, data.settings.balance);
}

/** The kept model's settings: after k-fold there are no held-back photos, so no early stopping. */
function finalSettings(settings: TrainingSettings, cv: CrossValidationSummary | null): TrainingSettings {
  if (!cv) return settings;
  return {
    ...settings,
    earlyStopping: false,
    // Without held-back photos, train as long as the folds found best.
    epochs: settings.earlyStopping
      ? Math.max(1, Math.round(cv.folds.reduce((a, f) => a + f.epochs, 0) / cv.folds.length))
      : settings.epochs,
  };
}

/** Trains the model to keep, on the split (or on all photos after k-fold), from `resume` if given. */
export async function fitFinal(
  { data, split, rows, control }: FitInputs,
  run: RunRecord,
  parts: TrainableParts,
  resume: LoopCheckpoint | undefined,
  saveEpoch: (epoch: EpochLog, checkpoint: () => Promise<LoopCheckpoint>) => Promise<void>,
): Promise<TrainLoopResult> {
  const { labels, settings } = data;
  const numClasses = data.classes.length;
  const settingsKept = finalSettings(settings, run.crossValidation);
  const trainLabels = split.train.map((i) => labels[i]!);
  run.classWeights = weightsFor(data, trainLabels);
  return trainLoop({
    parts,
    numClasses,
    objective: data.objective,
    settings: settingsKept,
    train: rows.training(split.train),
    validation: rows.validation(split.validation),
    classWeights: run.classWeights,
    resume,
    shouldStop: control.isCancelled,
    onEpoch: async (epoch, checkpoint) => {
      await saveEpoch(epoch, checkpoint);
      control.onProgress?.(progress({ phase: 'training', done: epoch.epoch, total: settingsKept.epochs, epoch }));
    },
  });
}

/**
 * Trains `parts` (fresh, from the run's start) on every photo, held-back ones included, for the epochs the
 * held-back photos chose (src/ml/refit.ts); `member` is which of the plan's averaged trainings this is (its
 * own seed, and its place in the progress). No checkpoints: a tab closed now resumes the first training,
 * which then ends at once and trains on all photos again.
 */
export async function fitOnAll(
  { data, split, rows, control }: FitInputs,
  parts: TrainableParts,
  plan: RefitPlan,
  member = 0,
): Promise<TrainLoopResult> {
  const { labels, settings } = data;
  const numClasses = data.classes.length;
  const all = [...split.train, ...split.validation];
  const refit = refitSettings(settings, plan, member);
  const before = member * plan.epochs;
  return trainLoop({
    parts,
    numClasses,
    objective: data.objective,
    settings: refit,
    train: rows.training(all),
    validation: null,
    classWeights: weightsFor(
      data,
      all.map((i) => labels[i]!),
    ),
    shouldStop: control.isCancelled,
    onEpoch: (epoch) =>
      control.onProgress?.(progress({ phase: 'refit', done: before + epoch.epoch, total: plan.heads * plan.epochs, epoch })),
  });
}
