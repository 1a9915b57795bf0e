/**
 * A training holds a Web Lock named after its run for as long as it runs. The browser releases it when
 * the tab closes, so any tab can tell an interrupted run (no holder) from one still training elsewhere.
 */
export const trainingLockName = (runId: string) => `kiln-training-${runId}`;

export async function isTrainingHeld(runId: string): Promise<boolean> {
  if (!navigator.locks) return false;
  const { held = [] } = await navigator.locks.query();
  return held.some((lock) => lock.name === trainingLockName(runId));
}

/** Runs `work` while holding the run's lock (or without one where Web Locks are missing). */
export function withTrainingLock<T>(runId: string, work: () => Promise<T>): Promise<T> {
  if (!navigator.locks) return work();
  return navigator.locks.request(trainingLockName(runId), work) as Promise<T>;
}
