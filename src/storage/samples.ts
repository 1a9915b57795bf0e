import type { SampleRecord } from '../shared/types';
import type { KilnDB } from './db';

/** Writes a batch of samples in one transaction: all of them land, or none. */
export async function addSamples(db: KilnDB, samples: readonly SampleRecord[]): Promise<void> {
  if (samples.length === 0) return;
  const tx = db.transaction('samples', 'readwrite');
  await Promise.all([...samples.map((sample) => tx.store.add(sample)), tx.done]);
}

export function getSample(db: KilnDB, id: string): Promise<SampleRecord | undefined> {
  return db.get('samples', id);
}

export async function listSamplesOfClass(db: KilnDB, classId: string): Promise<SampleRecord[]> {
  const all = await db.getAllFromIndex('samples', 'byClass', classId);
  return all.sort((a, b) => a.addedAt - b.addedAt || a.name.localeCompare(b.name));
}

export async function listSamplesOfProject(db: KilnDB, projectId: string): Promise<SampleRecord[]> {
  const all = await db.getAllFromIndex('samples', 'byProject', projectId);
  return all.sort((a, b) => a.addedAt - b.addedAt || a.name.localeCompare(b.name));
}

export function countSamplesOfClass(db: KilnDB, classId: string): Promise<number> {
  return db.countFromIndex('samples', 'byClass', classId);
}

export async function deleteSamples(db: KilnDB, ids: readonly string[]): Promise<void> {
  const tx = db.transaction('samples', 'readwrite');
  await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}

/** Rewrites samples in one transaction; ids that no longer exist are skipped. */
export async function updateSamples(
  db: KilnDB,
  ids: readonly string[],
  change: (sample: SampleRecord) => SampleRecord,
): Promise<void> {
  const tx = db.transaction('samples', 'readwrite');
  for (const id of ids) {
    const sample = await tx.store.get(id);
    if (sample) await tx.store.put(change(sample));
  }
  await tx.done;
}
