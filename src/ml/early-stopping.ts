/**
 * When to stop, and which epoch to keep. The validation loss of a few dozen held-back photos is noisy:
 * judged raw, it often "bests" at epoch 1–3 by chance and stops a head that was still improving. So the
 * rule watches a trailing mean of the last few losses and never keeps an epoch before a minimum.
 */
export interface StoppingRule {
  /** Epochs averaged into the watched loss (1: the raw loss). */
  window: number;
  /** The earliest epoch that can be kept, and before which training never stops. */
  minEpochs: number;
  /**
   * Optimizer steps (batches) the head takes before any epoch can be kept: with few photos an epoch is a few
   * steps, and a score on their one or two held-back photos a class says nothing yet (10 photos a class of
   * 8 look-alike classes: raw stopping kept epoch 3 and scored 6 points under Teachable Machine's 50 epochs).
   */
  minSteps: number;
}

/** Kiln's rule; chosen with `npm run bench:quality` (docs/TRAINING.md#early-stopping). */
export const SMOOTHED_STOPPING: StoppingRule = { window: 3, minEpochs: 5, minSteps: 300 };
/** The raw loss, as Keras' EarlyStopping and Kiln before 2026-12 judged it. */
export const RAW_STOPPING: StoppingRule = { window: 1, minEpochs: 1, minSteps: 0 };

/** The rule for a training of `stepsPerEpoch` batches an epoch: its minimum epochs cover its minimum steps. */
export function forSteps(rule: StoppingRule, stepsPerEpoch: number): StoppingRule {
  const fromSteps = Math.ceil(rule.minSteps / Math.max(1, stepsPerEpoch));
  return { ...rule, minEpochs: Math.max(rule.minEpochs, fromSteps) };
}

let ruleOverride: StoppingRule | null = null;

/** The rule training uses: Kiln's, unless a benchmark asked for another (the studio worker's diagnostics). */
export const currentStoppingRule = (): StoppingRule => ruleOverride ?? SMOOTHED_STOPPING;

/** For `npm run bench:quality` only: compares the rules through the studio's own training. */
export function overrideStoppingRule(rule: StoppingRule | null): void {
  ruleOverride = rule;
}

export interface StoppingState {
  bestEpoch: number;
  /** The best watched (smoothed) loss so far, or null before the first epoch that counts. */
  bestValLoss: number | null;
  /** Epochs since the best one. */
  wait: number;
}

/** The mean of the last `window` losses (fewer at the start). */
export function smoothedLoss(losses: readonly number[], window: number): number {
  const recent = losses.slice(-Math.max(1, window));
  return recent.reduce((a, b) => a + b, 0) / recent.length;
}

/**
 * The state after another epoch's validation loss, whether that epoch is now the one to keep, and
 * whether to stop. `losses` holds every epoch's validation loss so far, this one last.
 */
export function afterEpoch(
  state: StoppingState,
  losses: readonly number[],
  patience: number,
  rule: StoppingRule = currentStoppingRule(),
): { state: StoppingState; improved: boolean; stop: boolean } {
  const epoch = losses.length;
  const watched = smoothedLoss(losses, rule.window);
  const counts = epoch >= rule.minEpochs;
  if (counts && (state.bestValLoss === null || watched < state.bestValLoss - 1e-6)) {
    return { state: { bestEpoch: epoch, bestValLoss: watched, wait: 0 }, improved: true, stop: false };
  }
  const wait = counts ? state.wait + 1 : 0;
  return { state: { ...state, wait }, improved: false, stop: counts && wait >= patience };
}
