import type { RunRecord } from '../shared/types';
import type { KilnDB } from './db';

export async function listRuns(db: KilnDB, projectId: string): Promise<RunRecord[]> {
  const all = await db.getAllFromIndex('runs', 'byProject', projectId);
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export function getRun(db: KilnDB, id: string): Promise<RunRecord | undefined> {
  return db.get('runs', id);
}
