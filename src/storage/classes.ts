import type { ClassRecord } from '../api/types';
import type { KilnDB } from './db';

/** The project's classes in model order. */
export async function listClasses(db: KilnDB, projectId: string): Promise<ClassRecord[]> {
  const all = await db.getAllFromIndex('classes', 'byProject', projectId);
  return all.sort((a, b) => a.order - b.order || a.createdAt - b.createdAt);
}

export async function putClass(db: KilnDB, record: ClassRecord): Promise<void> {
  await db.put('classes', record);
}

export async function getClass(db: KilnDB, id: string): Promise<ClassRecord | undefined> {
  return db.get('classes', id);
}

/** Deletes the class and its photos together, so no photo is left without a class. */
export async function deleteClassCascade(db: KilnDB, id: string): Promise<void> {
  const tx = db.transaction(['classes', 'samples'], 'readwrite');
  const samples = tx.objectStore('samples');
  const keys = await samples.index('byClass').getAllKeys(id);
  await Promise.all([tx.objectStore('classes').delete(id), ...keys.map((key) => samples.delete(key))]);
  await tx.done;
}
