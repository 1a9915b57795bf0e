import type { CheckpointRecord, RunRecord } from '../api/types';
import type { KilnDB } from './db';

export async function listRuns(db: KilnDB, projectId: string): Promise<RunRecord[]> {
  const all = await db.getAllFromIndex('runs', 'byProject', projectId);
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export function getRun(db: KilnDB, id: string): Promise<RunRecord | undefined> {
  return db.get('runs', id);
}

/** Saves a run in progress, with its latest checkpoint when given, in one transaction. */
export async function putRunProgress(db: KilnDB, run: RunRecord, checkpoint?: CheckpointRecord): Promise<void> {
  const tx = db.transaction(['runs', 'checkpoints'], 'readwrite');
  await Promise.all([
    tx.objectStore('runs').put(run),
    ...(checkpoint ? [tx.objectStore('checkpoints').put(checkpoint)] : []),
    tx.done,
  ]);
}

/** Removes a run and its checkpoint. A project whose active model it was keeps no active model. */
export async function deleteRun(db: KilnDB, id: string): Promise<void> {
  const tx = db.transaction(['runs', 'checkpoints', 'projects'], 'readwrite');
  const run = await tx.objectStore('runs').get(id);
  const project = run ? await tx.objectStore('projects').get(run.projectId) : undefined;
  await Promise.all([
    tx.objectStore('runs').delete(id),
    tx.objectStore('checkpoints').delete(id),
    ...(project?.activeRunId === id ? [tx.objectStore('projects').put({ ...project, activeRunId: null })] : []),
    tx.done,
  ]);
}
