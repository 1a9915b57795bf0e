import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  activationBudget,
  activationValues,
  deviceMemoryGb,
  embedBatch,
  embedBatchSize,
  setLowMemoryHint,
} from './device-memory';

afterEach(() => {
  vi.unstubAllGlobals();
  setLowMemoryHint(false);
});

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

  it('uses the small sizes on a touch-first device only where the memory is not reported', () => {
    expect(embedBatchSize(null, true)).toBe(4);
    expect(activationBudget(null, true)).toBe(48 * 1024 * 1024);
    // A reported 8 GB wins over the hint: a big Android tablet keeps the normal sizes.
    expect(embedBatchSize(8, true)).toBe(8);
    expect(activationBudget(8, true)).toBe(96 * 1024 * 1024);
    expect(embedBatchSize(4, false)).toBe(4);
  });

  it("follows the page's hint, which arrives after the worker's modules load", () => {
    vi.stubGlobal('navigator', {}); // Safari and Firefox: no deviceMemory
    expect(embedBatch()).toBe(8);
    expect(activationValues()).toBe(96 * 1024 * 1024);
    setLowMemoryHint(true);
    expect(embedBatch()).toBe(4);
    expect(activationValues()).toBe(48 * 1024 * 1024);
    vi.stubGlobal('navigator', { deviceMemory: 8 });
    expect(embedBatch()).toBe(8);
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
