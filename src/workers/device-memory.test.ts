import { afterEach, describe, expect, it, vi } from 'vitest';
import { activationBudget, deviceMemoryGb, embedBatchSize } from './device-memory';

afterEach(() => vi.unstubAllGlobals());

describe('batch sizes by device memory', () => {
  it('halves the embedding batch on 4 GB or less, keeps 8 otherwise or when unknown', () => {
    expect(embedBatchSize(0.5)).toBe(4);
    expect(embedBatchSize(2)).toBe(4);
    expect(embedBatchSize(4)).toBe(4);
    expect(embedBatchSize(8)).toBe(8);
    expect(embedBatchSize(null)).toBe(8);
  });

  it('halves the fine-tuning activation budget on a small device', () => {
    expect(activationBudget(4)).toBe(activationBudget(8) / 2);
    expect(activationBudget(null)).toBe(96 * 1024 * 1024);
  });

  it('reads navigator.deviceMemory where the browser has it, null where not', () => {
    vi.stubGlobal('navigator', { deviceMemory: 4 });
    expect(deviceMemoryGb()).toBe(4);
    vi.stubGlobal('navigator', {});
    expect(deviceMemoryGb()).toBeNull();
    vi.stubGlobal('navigator', undefined);
    expect(deviceMemoryGb()).toBeNull();
  });
});
