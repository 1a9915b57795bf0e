import type { BackboneRecord } from '../api/types';
import type { KilnDB } from './db';

/** The feature extractor kept after its first download, so later visits need no network. */
export function getCachedBackbone(db: KilnDB, id: string): Promise<BackboneRecord | undefined> {
  return db.get('backbones', id);
}

export async function putCachedBackbone(db: KilnDB, record: BackboneRecord): Promise<void> {
  await db.put('backbones', record);
}

export async function deleteCachedBackbone(db: KilnDB, id: string): Promise<void> {
  await db.delete('backbones', id);
}
