import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, TEACHABLE_MACHINE_SETTINGS } from '../api/settings';
import { refitPlan, refitSettings } from './refit';

const finished = { stopped: false, finalEpoch: 9, history: new Array(21).fill(null) };

describe('training the kept model on all photos', () => {
  it('is on by default and trains for the epoch early stopping kept', () => {
    expect(DEFAULT_SETTINGS.refitOnAll).toBe(true);
    expect(refitPlan(DEFAULT_SETTINGS, finished, 18)).toEqual({ epochs: 9, heads: 3 });
  });

  it('uses the settings as they are, but for that many epochs and with nothing to stop on', () => {
    const s = refitSettings(DEFAULT_SETTINGS, { epochs: 9, heads: 3 });
    expect(s).toEqual({ ...DEFAULT_SETTINGS, epochs: 9, earlyStopping: false });
  });

  it('gives every averaged training after the first its own seed', () => {
    const plan = { epochs: 9, heads: 3 };
    const seeds = [0, 1, 2].map((member) => refitSettings(DEFAULT_SETTINGS, plan, member).seed);
    expect(seeds[0]).toBe(DEFAULT_SETTINGS.seed);
    expect(new Set(seeds).size).toBe(3);
  });

  it('averages three trainings by default, one as Teachable Machine does, and one when fine-tuning', () => {
    expect(refitPlan({ ...DEFAULT_SETTINGS, averagedHeads: 1 }, finished, 18)?.heads).toBe(1);
    expect(TEACHABLE_MACHINE_SETTINGS.averagedHeads).toBe(1);
    expect(refitPlan({ ...DEFAULT_SETTINGS, fineTuneBlocks: 1 }, finished, 18)?.heads).toBe(1);
  });

  it('does not happen when turned off, as in Teachable Machine’s settings', () => {
    expect(TEACHABLE_MACHINE_SETTINGS.refitOnAll).toBe(false);
    expect(refitPlan({ ...DEFAULT_SETTINGS, refitOnAll: false }, finished, 18)).toBeNull();
  });

  it('does not happen without held-back photos, after cross-validation, or after Stop', () => {
    expect(refitPlan(DEFAULT_SETTINGS, finished, 0)).toBeNull();
    expect(refitPlan({ ...DEFAULT_SETTINGS, folds: 5 }, finished, 18)).toBeNull();
    expect(refitPlan(DEFAULT_SETTINGS, { ...finished, stopped: true }, 18)).toBeNull();
    expect(refitPlan(DEFAULT_SETTINGS, { stopped: false, finalEpoch: 0, history: [] }, 18)).toBeNull();
  });

  it('trains for every epoch when early stopping is off', () => {
    const noStopping = { ...DEFAULT_SETTINGS, earlyStopping: false };
    expect(refitPlan(noStopping, { ...finished, finalEpoch: 100 }, 18)).toEqual({ epochs: 100, heads: 3 });
  });
});
