import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, normalizeSettings, TEACHABLE_MACHINE_SETTINGS } from './settings';

describe('normalizeSettings', () => {
  it('fills missing fields from the defaults', () => {
    expect(normalizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings({ epochs: 7 })).toEqual({ ...DEFAULT_SETTINGS, epochs: 7 });
    expect(normalizeSettings({}, TEACHABLE_MACHINE_SETTINGS)).toEqual(TEACHABLE_MACHINE_SETTINGS);
  });

  it('clamps numbers into range and rejects nonsense', () => {
    const s = normalizeSettings({
      epochs: -3,
      learningRate: Number.NaN,
      batchSize: 1e9,
      dropout: 2,
      validationFraction: 0.9,
      optimizer: 'magic' as never,
      folds: 2,
      augmentation: { views: 99 } as never,
    });
    expect(s.epochs).toBe(1);
    expect(s.learningRate).toBe(DEFAULT_SETTINGS.learningRate);
    expect(s.batchSize).toBe(512);
    expect(s.dropout).toBe(0.9);
    expect(s.validationFraction).toBe(0.5);
    expect(s.optimizer).toBe(DEFAULT_SETTINGS.optimizer);
    expect(s.folds).toBe(3);
    expect(s.augmentation.views).toBe(8);
    expect(s.augmentation.flip).toBe(DEFAULT_SETTINGS.augmentation.flip);
  });
});
