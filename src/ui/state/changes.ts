/**
 * The page's end of the worker's change stream. State classes listen here and re-read what changed;
 * studio.svelte.ts feeds it (this tab's changes with each call's result, other tabs' from the channel).
 */
import type { Change } from '../../api/changes';

type Listener = (change: Change) => void | Promise<void>;

const listeners: Listener[] = [];

/** Listens for the rest of the page's life (state classes are made once). */
export function onChange(listener: Listener): void {
  listeners.push(listener);
}

/**
 * Hands each change to every listener, in the order they started listening (the open project
 * before the screens' state that reads it); resolves when all have re-read.
 */
export async function deliver(changes: readonly Change[]): Promise<void> {
  for (const change of changes) {
    for (const listener of listeners) {
      try {
        await listener(change);
      } catch (error) {
        // A failed re-read must not fail the call that made the change; the next change re-reads again.
        console.warn('Kiln: could not refresh after a change', error);
      }
    }
  }
}
