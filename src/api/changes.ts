/**
 * Tabs on the same studio tell each other what changed, so two tabs on one project stay consistent.
 * Each tab's worker announces its own writes; every tab refreshes what it shows when another tab wrote.
 */
export const CHANGES_CHANNEL = 'kiln-changes';

export type ChangeScope = 'projects' | 'project';

export interface Change {
  /** The tab whose worker made the change: a tab ignores its own announcements. */
  origin: string;
  scope: ChangeScope;
  projectId: string | null;
}
