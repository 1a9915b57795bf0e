/**
 * Test-only fault injection: makes photo writes fail exactly as a full disk does (QuotaExceededError), after a
 * given number of photos. Reachable only through the worker's kilnDiagnostics (developer tools or a test driver),
 * never from the page. Used where Chromium's quota override (DevTools Storage.overrideQuotaForOrigin) does not
 * take effect.
 */
let room: number | null = null;

export function fillDiskAfter(photos: number | null): void {
  room = photos;
}

/** Throws as IndexedDB would when the simulated disk has no room for `count` more photos. */
export function checkDiskRoom(count: number): void {
  if (room === null) return;
  if (count > room) throw new DOMException('The disk is full (simulated for a test).', 'QuotaExceededError');
  room -= count;
}
