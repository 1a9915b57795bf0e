import type { EmbeddingRecord } from '../api/types';
import type { KilnDB } from './db';

export interface EmbeddingKey {
  backboneId: string;
  hash: string;
  view: string;
}

/** Looks up many embeddings in one transaction; missing ones come back as undefined, in order. */
export async function getEmbeddings(db: KilnDB, keys: readonly EmbeddingKey[]): Promise<(Float32Array | undefined)[]> {
  const tx = db.transaction('embeddings', 'readonly');
  const found = await Promise.all(keys.map((k) => tx.store.get([k.backboneId, k.hash, k.view])));
  await tx.done;
  return found.map((record) => record?.vector);
}

export async function putEmbeddings(db: KilnDB, records: readonly EmbeddingRecord[]): Promise<void> {
  if (records.length === 0) return;
  const tx = db.transaction('embeddings', 'readwrite');
  await Promise.all([...records.map((record) => tx.store.put(record)), tx.done]);
}

export function countEmbeddings(db: KilnDB): Promise<number> {
  return db.count('embeddings');
}
