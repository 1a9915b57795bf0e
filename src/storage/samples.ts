import type { SampleRecord } from '../api/types';
import type { KilnDB } from './db';
import { UserError } from '../api/user-message';

/**
 * Photos for a class that no longer exists (deleted in another tab while an import ran, say): nothing of the batch
 * is written, so no photo is left without its class.
 */
export class ClassGoneError extends UserError {
  override name = 'ClassGoneError';
  constructor() {
    super(
      'photo.classGone',
      'The class these photos were going into was deleted (in another tab, perhaps), so they were not added. Add them to another class.',
    );
  }
}

/**
 * Writes samples in one transaction: all of them land, or none. Their classes are read in the same transaction, so a
 * class deleted elsewhere a moment before cannot get photos (ClassGoneError).
 */
async function writeSamples(db: KilnDB, samples: readonly SampleRecord[], how: 'add' | 'put'): Promise<void> {
  if (samples.length === 0) return;
  const tx = db.transaction(['classes', 'samples'], 'readwrite');
  const classes = tx.objectStore('classes');
  const store = tx.objectStore('samples');
  const present = await Promise.all([...new Set(samples.map((s) => s.classId))].map((id) => classes.getKey(id)));
  if (present.some((key) => key === undefined)) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new ClassGoneError();
  }
  await Promise.all([...samples.map((sample) => (how === 'add' ? store.add(sample) : store.put(sample))), tx.done]);
}

/** Writes a batch of new samples in one transaction: all of them land, or none. */
export function addSamples(db: KilnDB, samples: readonly SampleRecord[]): Promise<void> {
  return writeSamples(db, samples, 'add');
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

/**
 * Rewrites samples in one transaction; ids that no longer exist are skipped. A move into a class deleted elsewhere
 * changes nothing (ClassGoneError).
 */
export async function updateSamples(
  db: KilnDB,
  ids: readonly string[],
  change: (sample: SampleRecord) => SampleRecord,
): Promise<void> {
  const tx = db.transaction(['classes', 'samples'], 'readwrite');
  const store = tx.objectStore('samples');
  const classes = tx.objectStore('classes');
  const known = new Set<string>();
  for (const id of ids) {
    const sample = await store.get(id);
    if (!sample) continue;
    const changed = change(sample);
    if (!known.has(changed.classId)) {
      if ((await classes.getKey(changed.classId)) === undefined) {
        tx.abort();
        await tx.done.catch(() => undefined);
        throw new ClassGoneError();
      }
      known.add(changed.classId);
    }
    await store.put(changed);
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

/** Puts samples back exactly as they were (undoing a delete), in one transaction; not into a class deleted since. */
export function putSamples(db: KilnDB, samples: readonly SampleRecord[]): Promise<void> {
  return writeSamples(db, samples, 'put');
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
