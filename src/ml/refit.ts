/**
 * Use all the photos: a split holds 15 % of them back to choose how long to train and to score the model,
 * and a model that never learns from them wastes them. So once they have done that job, the kept model is
 * trained again, from the same start, on every photo for the chosen number of epochs. The score reported
 * stays the one measured before, on photos the model had not seen then.
 */
import type { TrainingSettings } from '../api/settings';

export interface RefitPlan {
  /** Epochs to train on every photo: the one early stopping kept, or all of them without it. */
  epochs: number;
}

/**
 * Whether to train again on all photos, and for how long. Not when the person turned it off, after
 * cross-validation (its final model already learns from all), without held-back photos, or when the
 * first training was stopped or trained no epoch.
 */
export function refitPlan(
  settings: Pick<TrainingSettings, 'refitOnAll' | 'folds'>,
  result: { stopped: boolean; finalEpoch: number; history: readonly unknown[] },
  validationCount: number,
): RefitPlan | null {
  if (!settings.refitOnAll || settings.folds > 0 || validationCount === 0) return null;
  if (result.stopped || result.history.length === 0 || result.finalEpoch < 1) return null;
  return { epochs: result.finalEpoch };
}

/** The settings of the training on all photos: the chosen epochs, nothing held back to stop on. */
export function refitSettings(settings: TrainingSettings, plan: RefitPlan): TrainingSettings {
  return { ...settings, epochs: plan.epochs, earlyStopping: false };
}
