/**
 * Use all the photos: a split holds 15 % of them back to choose how long to train and to score the model,
 * and a model that never learns from them wastes them. So once they have done that job, the kept model is
 * trained again, from the same start, on every photo for the chosen number of epochs. The score reported
 * stays the one measured before, on photos the model had not seen then.
 */
import type { TrainingSettings } from '../api/settings';
import { memberSeed } from './ensemble';

export interface RefitPlan {
  /** Epochs to train on every photo: the one early stopping kept, or all of them without it. */
  epochs: number;
  /** Trainings on all photos from different starts, averaged into the kept model (src/ml/ensemble.ts). */
  heads: number;
}

/**
 * Whether to train again on all photos, and for how long. Not when the person turned it off, after
 * cross-validation (its final model already learns from all), without held-back photos, or when the
 * first training was stopped or trained no epoch.
 */
export function refitPlan(
  settings: Pick<TrainingSettings, 'refitOnAll' | 'folds' | 'averagedHeads' | 'fineTuneBlocks'>,
  result: { stopped: boolean; finalEpoch: number; history: readonly unknown[] },
  validationCount: number,
): RefitPlan | null {
  if (!settings.refitOnAll || settings.folds > 0 || validationCount === 0) return null;
  if (result.stopped || result.history.length === 0 || result.finalEpoch < 1) return null;
  // Fine-tuned blocks are shared by the whole model: averaging heads on one of them is not an ensemble.
  return { epochs: result.finalEpoch, heads: settings.fineTuneBlocks > 0 ? 1 : settings.averagedHeads };
}

/**
 * The settings of the `member`-th training on all photos: the chosen epochs, nothing held back to stop on,
 * and its own seed (a different start, shuffle and dropout) for every member after the first.
 */
export function refitSettings(settings: TrainingSettings, plan: RefitPlan, member = 0): TrainingSettings {
  return { ...settings, epochs: plan.epochs, earlyStopping: false, seed: memberSeed(settings.seed, member) };
}
