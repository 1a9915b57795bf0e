/**
 * What the worker changed, as one stream. The page learns of every change this way: its own tab's
 * arrive with each call's result (api/client.ts), other tabs' on a BroadcastChannel. State classes
 * (src/ui/state) listen and re-read; nothing else on the page refreshes by hand.
 */
export const CHANGES_CHANNEL = 'kiln-changes';

/**
 * - projects: the list (a project added, renamed or deleted)
 * - project: one project's record (name, settings, backbone, crop mode, active run, refused files)
 * - photos: one project's classes and photos
 * - runs: one project's training runs
 * - engine: the backend or the image model (a lost GPU, an imported backbone)
 */
export type ChangeScope = 'projects' | 'project' | 'photos' | 'runs' | 'engine';

export interface Change {
  scope: ChangeScope;
  /** Set for the per-project scopes. */
  projectId: string | null;
}

/** A change as broadcast to other tabs: with the tab whose worker made it (that tab already heard it). */
export interface TabChange extends Change {
  origin: string;
}

export function sameChange(a: Change, b: Change): boolean {
  return a.scope === b.scope && a.projectId === b.projectId;
}
