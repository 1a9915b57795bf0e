/**
 * Sizes for work that holds many images or activations at once, chosen by the device's memory.
 * `navigator.deviceMemory` (Chromium, also in workers) reports RAM in GB, rounded down and capped at 8;
 * elsewhere it is missing and the normal sizes apply. A 4 GB Chromebook or tablet shares that memory
 * with the GPU and the browser itself, so Kiln halves its batches there.
 */

/** Images per backbone call with enough memory: big enough to keep the backend busy. */
const EMBED_BATCH_NORMAL = 8;
/** Images per backbone call on a 4 GB (or smaller) device: the peak activations of a batch halve. */
const EMBED_BATCH_SMALL = 4;
/** Fine-tuning keeps boundary activations in memory; beyond this many float values it would not fit. */
const ACTIVATION_VALUES_NORMAL = 96 * 1024 * 1024;

/** The device's memory in GB, or null where the browser does not say. */
export function deviceMemoryGb(): number | null {
  const value = (globalThis.navigator as { deviceMemory?: unknown } | undefined)?.deviceMemory;
  return typeof value === 'number' && value > 0 ? value : null;
}

const isSmall = (memoryGb: number | null) => memoryGb !== null && memoryGb <= 4;

/** How many images to push through the backbone at once. */
export function embedBatchSize(memoryGb: number | null): number {
  return isSmall(memoryGb) ? EMBED_BATCH_SMALL : EMBED_BATCH_NORMAL;
}

/** The most activation values fine-tuning may hold (about 384 MB normally, half on a small device). */
export function activationBudget(memoryGb: number | null): number {
  return isSmall(memoryGb) ? ACTIVATION_VALUES_NORMAL / 2 : ACTIVATION_VALUES_NORMAL;
}
