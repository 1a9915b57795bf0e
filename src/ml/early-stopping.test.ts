import { describe, expect, it } from 'vitest';
import {
  afterEpoch,
  forSteps,
  RAW_STOPPING,
  SMOOTHED_STOPPING,
  smoothedLoss,
  type StoppingRule,
  type StoppingState,
} from './early-stopping';

/** Feeds a whole curve through the rule, as the training loop does epoch by epoch. */
function run(losses: number[], patience: number, rule: StoppingRule) {
  let state: StoppingState = { bestEpoch: 0, bestValLoss: null, wait: 0 };
  for (let epoch = 1; epoch <= losses.length; epoch++) {
    const next = afterEpoch(state, losses.slice(0, epoch), patience, rule);
    state = next.state;
    if (next.stop) return { kept: state.bestEpoch, stoppedAt: epoch };
  }
  return { kept: state.bestEpoch, stoppedAt: null };
}

describe('early stopping', () => {
  it('averages the last few losses, fewer at the start', () => {
    expect(smoothedLoss([3], 3)).toBe(3);
    expect(smoothedLoss([3, 1], 3)).toBe(2);
    expect(smoothedLoss([9, 3, 1, 2], 3)).toBe(2);
    expect(smoothedLoss([9, 3, 1, 2], 1)).toBe(2);
  });

  it('is not fooled by a lucky dip on a few held-back photos: it keeps training while the trend still falls', () => {
    // Epoch 2 is a noise minimum; the real trend keeps improving until about epoch 12.
    const losses = [
      0.9, 0.42, 0.75, 0.7, 0.62, 0.6, 0.55, 0.5, 0.5, 0.46, 0.45, 0.44, 0.47, 0.46, 0.48, 0.5, 0.49, 0.52, 0.5, 0.53,
    ];
    const raw = run(losses, 5, RAW_STOPPING);
    expect(raw).toEqual({ kept: 2, stoppedAt: 7 });
    const smoothed = run(losses, 5, SMOOTHED_STOPPING);
    expect(smoothed.kept).toBe(12);
    expect(smoothed.stoppedAt).toBe(17);
  });

  it('never stops or keeps an epoch before the minimum, however the loss moves', () => {
    const rising = [0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9];
    const rule = { window: 3, minEpochs: 5, minSteps: 0 };
    const result = run(rising, 2, rule);
    expect(result.kept).toBe(5);
    expect(result.stoppedAt).toBe(7);
  });

  it('counts the wait from the best smoothed epoch, and a new best resets it', () => {
    const step = afterEpoch({ bestEpoch: 5, bestValLoss: 0.5, wait: 3 }, [1, 1, 1, 1, 0.5, 0.45, 0.4], 4, SMOOTHED_STOPPING);
    expect(step).toEqual({ state: { bestEpoch: 7, bestValLoss: (0.5 + 0.45 + 0.4) / 3, wait: 0 }, improved: true, stop: false });
    const worse = afterEpoch({ bestEpoch: 5, bestValLoss: 0.2, wait: 3 }, [1, 1, 1, 1, 0.5, 0.45, 0.4], 4, SMOOTHED_STOPPING);
    expect(worse).toEqual({ state: { bestEpoch: 5, bestValLoss: 0.2, wait: 4 }, improved: false, stop: true });
  });

  it('judges no epoch before the head has taken its minimum steps, however few photos an epoch has', () => {
    // 30 photos with 2 copies in batches of 16: 6 steps an epoch, so 50 epochs before 300 steps.
    expect(forSteps(SMOOTHED_STOPPING, 6).minEpochs).toBe(50);
    // Hundreds of photos: the epoch minimum rules.
    expect(forSteps(SMOOTHED_STOPPING, 100).minEpochs).toBe(SMOOTHED_STOPPING.minEpochs);
    expect(forSteps(RAW_STOPPING, 6).minEpochs).toBe(1);
    const falling = Array.from({ length: 60 }, (_, i) => (i === 1 ? 0.1 : 1 - i / 100));
    expect(run(falling, 5, forSteps(SMOOTHED_STOPPING, 6)).kept).toBeGreaterThanOrEqual(50);
  });
});
