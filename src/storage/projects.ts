import { REFUSED_KEPT } from '../api/types';
import type { CheckpointRecord, ClassRecord, ProjectRecord, RefusedEntry, RunRecord, SampleRecord } from '../api/types';
import type { KilnDB } from './db';
import { UserError } from '../api/user-message';

export async function listProjects(db: KilnDB): Promise<ProjectRecord[]> {
  const all = await db.getAll('projects');
  return all.sort((a, b) => b.updatedAt - a.updatedAt);
}

export function getProject(db: KilnDB, id: string): Promise<ProjectRecord | undefined> {
  return db.get('projects', id);
}

export async function putProject(db: KilnDB, project: ProjectRecord): Promise<void> {
  await db.put('projects', project);
}

export async function updateProject(
  db: KilnDB,
  id: string,
  change: Partial<Omit<ProjectRecord, 'id' | 'createdAt'>>,
): Promise<ProjectRecord> {
  const tx = db.transaction('projects', 'readwrite');
  const current = await tx.store.get(id);
  if (!current)
    throw new UserError('project.goneOtherTab', 'This project no longer exists. It may have been deleted in another tab.');
  const next: ProjectRecord = { ...current, ...change, updatedAt: Date.now() };
  await tx.store.put(next);
  await tx.done;
  return next;
}

/**
 * Adds files an import refused to the project's list (the latest REFUSED_KEPT are kept). Leaves
 * `updatedAt` alone: refusing files does not change the project. A project gone meanwhile is skipped.
 */
export async function appendRefused(db: KilnDB, id: string, entries: readonly RefusedEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const tx = db.transaction('projects', 'readwrite');
  const current = await tx.store.get(id);
  if (current) {
    const refused = [
      ...(current.refused ?? []),
      ...entries.map(({ className, name, reason, message }) => ({
        className,
        name,
        reason,
        ...(message ? { message } : {}),
      })),
    ];
    await tx.store.put({ ...current, refused: refused.slice(-REFUSED_KEPT) });
  }
  await tx.done;
}

/** Empties the project's list of refused files. */
export async function clearRefused(db: KilnDB, id: string): Promise<void> {
  const tx = db.transaction('projects', 'readwrite');
  const current = await tx.store.get(id);
  if (current?.refused) {
    const { refused: _, ...rest } = current;
    await tx.store.put(rest);
  }
  await tx.done;
}

/** Deletes the project and everything that belongs to it in one transaction. Embeddings stay: they are keyed by image content and shared. */
export async function deleteProjectCascade(db: KilnDB, id: string): Promise<void> {
  const tx = db.transaction(['projects', 'classes', 'samples', 'runs', 'checkpoints'], 'readwrite');
  const deleteByIndex = async (store: 'classes' | 'samples' | 'runs' | 'checkpoints') => {
    const index = tx.objectStore(store).index('byProject');
    for (let cursor = await index.openKeyCursor(IDBKeyRange.only(id)); cursor; cursor = await cursor.continue()) {
      await tx.objectStore(store).delete(cursor.primaryKey);
    }
  };
  await Promise.all([
    tx.objectStore('projects').delete(id),
    deleteByIndex('classes'),
    deleteByIndex('samples'),
    deleteByIndex('runs'),
    deleteByIndex('checkpoints'),
  ]);
  await tx.done;
}

/** A whole project's records, as an import writes them. */
export interface ProjectBundle {
  project: ProjectRecord;
  classes: ClassRecord[];
  samples: SampleRecord[];
  runs: RunRecord[];
  checkpoints: CheckpointRecord[];
}

/** Writes a whole project in one transaction: an import lands completely or not at all. */
export async function putProjectBundle(db: KilnDB, bundle: ProjectBundle): Promise<void> {
  const tx = db.transaction(['projects', 'classes', 'samples', 'runs', 'checkpoints'], 'readwrite');
  await Promise.all([
    tx.objectStore('projects').add(bundle.project),
    ...bundle.classes.map((c) => tx.objectStore('classes').add(c)),
    ...bundle.samples.map((s) => tx.objectStore('samples').add(s)),
    ...bundle.runs.map((r) => tx.objectStore('runs').add(r)),
    ...bundle.checkpoints.map((c) => tx.objectStore('checkpoints').add(c)),
    tx.done,
  ]);
}

export { REFUSED_KEPT };
