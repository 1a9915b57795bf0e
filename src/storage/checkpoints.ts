import type { CheckpointRecord, ProjectRecord, RunRecord } from '../api/types';
import type { KilnDB } from './db';
import { UserError } from '../api/user-message';

export function getCheckpoint(db: KilnDB, runId: string): Promise<CheckpointRecord | undefined> {
  return db.get('checkpoints', runId);
}

/**
 * Stores a finished run with its model and makes it the project's active model, in one transaction:
 * a closed tab leaves either the old model active or the new one complete, never half of it.
 */
export async function saveRunAndActivate(db: KilnDB, run: RunRecord, checkpoint: CheckpointRecord): Promise<ProjectRecord> {
  const tx = db.transaction(['runs', 'checkpoints', 'projects'], 'readwrite');
  const project = await tx.objectStore('projects').get(run.projectId);
  if (!project) {
    tx.done.catch(() => undefined); // the abort below rejects it; the error thrown here says why
    tx.abort();
    throw new UserError('train.projectDeleted', 'The project was deleted while it was training.');
  }
  const next: ProjectRecord = { ...project, activeRunId: run.id, updatedAt: Date.now() };
  await Promise.all([
    tx.objectStore('runs').put(run),
    tx.objectStore('checkpoints').put(checkpoint),
    tx.objectStore('projects').put(next),
  ]);
  await tx.done;
  return next;
}
