import type { SampleRecord } from '../api/types';
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

/** A class's photo ids, oldest first, read from the index alone: no photo is loaded. */
export function listSampleIdsOfClass(db: KilnDB, classId: string): Promise<string[]> {
  const range = IDBKeyRange.bound([classId, -Infinity], [classId, Infinity]);
  return db.getAllKeysFromIndex('samples', 'byClassAdded', range);
}

/** Reads many samples in one transaction; missing ones come back as undefined, in order. */
export async function getSamples(db: KilnDB, ids: readonly string[]): Promise<(SampleRecord | undefined)[]> {
  const tx = db.transaction('samples', 'readonly');
  const found = await Promise.all(ids.map((id) => tx.store.get(id)));
  await tx.done;
  return found;
}

/** Puts samples back exactly as they were (undoing a delete), in one transaction. */
export async function putSamples(db: KilnDB, samples: readonly SampleRecord[]): Promise<void> {
  if (samples.length === 0) return;
  const tx = db.transaction('samples', 'readwrite');
  await Promise.all([...samples.map((sample) => tx.store.put(sample)), tx.done]);
}

export interface ClassStats {
  /** Photos for training and validation. */
  count: number;
  testCount: number;
  /** Bytes of the stored photos and thumbnails (Blob sizes: the bytes themselves are not read). */
  bytes: number;
}

/** Per-class counts and sizes, walking the project's samples with a cursor. */
export async function classStatsOfProject(db: KilnDB, projectId: string): Promise<Map<string, ClassStats>> {
  const stats = new Map<string, ClassStats>();
  let cursor = await db.transaction('samples').store.index('byProject').openCursor(projectId);
  while (cursor) {
    const sample = cursor.value;
    const entry = stats.get(sample.classId) ?? { count: 0, testCount: 0, bytes: 0 };
    if (sample.testOnly) entry.testCount++;
    else entry.count++;
    entry.bytes += sample.image.size + sample.thumb.size;
    stats.set(sample.classId, entry);
    cursor = await cursor.continue();
  }
  return stats;
}
