/**
 * Sizes for work that holds many images or activations at once, chosen by the device's memory.
 * `navigator.deviceMemory` (Chromium, also in workers) reports RAM in GB, rounded down and capped at 8;
 * a 4 GB Chromebook or tablet shares that memory with the GPU and the browser itself, so Kiln halves its
 * batches there. Safari and Firefox do not report it: there the page's hint decides, which says whether
 * the device is touch-first (a coarse pointer, as on an iPad or phone, whose memory is small and shared).
 * The worker cannot tell itself: WorkerNavigator has no maxTouchPoints and iPadOS reports a Mac user agent.
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

/** The reported memory wins; where the browser does not say, a touch-first device counts as small. */
const isSmall = (memoryGb: number | null, touchFirst: boolean) => (memoryGb === null ? touchFirst : memoryGb <= 4);

/** How many images to push through the backbone at once. */
export function embedBatchSize(memoryGb: number | null, touchFirst = false): number {
  return isSmall(memoryGb, touchFirst) ? EMBED_BATCH_SMALL : EMBED_BATCH_NORMAL;
}

/** The most activation values fine-tuning may hold (about 384 MB normally, half on a small device). */
export function activationBudget(memoryGb: number | null, touchFirst = false): number {
  return isSmall(memoryGb, touchFirst) ? ACTIVATION_VALUES_NORMAL / 2 : ACTIVATION_VALUES_NORMAL;
}

/** The page's hint, given when it starts the studio (see context.ts start()); false until then. */
let touchFirstHint = false;

/** Remembers whether the page runs on a touch-first device (a coarse pointer). */
export function setLowMemoryHint(touchFirst: boolean): void {
  touchFirstHint = touchFirst;
}

/** Images per backbone call on this device, now (the page's hint arrives after the worker's modules load). */
export function embedBatch(): number {
  return embedBatchSize(deviceMemoryGb(), touchFirstHint);
}

/** The fine-tuning activation budget on this device, now. */
export function activationValues(): number {
  return activationBudget(deviceMemoryGb(), touchFirstHint);
}
