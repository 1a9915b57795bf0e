/**
 * storage/: one small typed module per IndexedDB store; this file is the only openDB() (schema,
 * versions, upgrades). Owns what is kept on the device. May import: api (types), shared. Never workers,
 * ui or ml. Written by the worker's services; read by the page's state classes.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type {
  BackboneRecord,
  CheckpointRecord,
  ClassRecord,
  EmbeddingRecord,
  ProjectRecord,
  RunRecord,
  SampleRecord,
} from '../api/types';

export const DB_NAME = 'kiln';
/** Bump with a new step in `migrate` below; never edit a step that has shipped. */
export const DB_VERSION = 2;

export interface KilnSchema extends DBSchema {
  projects: { key: string; value: ProjectRecord };
  classes: { key: string; value: ClassRecord; indexes: { byProject: string } };
  samples: {
    key: string;
    value: SampleRecord;
    indexes: { byProject: string; byClass: string; byProjectHash: [string, string]; byClassAdded: [string, number] };
  };
  embeddings: { key: [string, string, string]; value: EmbeddingRecord };
  runs: { key: string; value: RunRecord; indexes: { byProject: string } };
  checkpoints: { key: string; value: CheckpointRecord; indexes: { byProject: string } };
  backbones: { key: string; value: BackboneRecord };
  prefs: { key: string; value: unknown };
}

export type KilnDB = IDBPDatabase<KilnSchema>;

export interface OpenOptions {
  name?: string;
  /** Called when another tab opens a newer schema: this connection closes and the page must reload. */
  onVersionChange?: () => void;
}

export async function openKilnDB(options: OpenOptions = {}): Promise<KilnDB> {
  const db = await openDB<KilnSchema>(options.name ?? DB_NAME, DB_VERSION, {
    upgrade(database, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) {
        database.createObjectStore('projects', { keyPath: 'id' });
        const classes = database.createObjectStore('classes', { keyPath: 'id' });
        classes.createIndex('byProject', 'projectId');
        const samples = database.createObjectStore('samples', { keyPath: 'id' });
        samples.createIndex('byProject', 'projectId');
        samples.createIndex('byClass', 'classId');
        samples.createIndex('byProjectHash', ['projectId', 'hash']);
        database.createObjectStore('embeddings', { keyPath: ['backboneId', 'hash', 'view'] });
        const runs = database.createObjectStore('runs', { keyPath: 'id' });
        runs.createIndex('byProject', 'projectId');
        const checkpoints = database.createObjectStore('checkpoints', { keyPath: 'runId' });
        checkpoints.createIndex('byProject', 'projectId');
        database.createObjectStore('backbones', { keyPath: 'id' });
        database.createObjectStore('prefs');
      }
      if (oldVersion < 2) {
        // A class's photo ids in the order they were added, without reading the photos (lazy gallery).
        transaction.objectStore('samples').createIndex('byClassAdded', ['classId', 'addedAt']);
      }
    },
    blocking() {
      // Another tab wants a newer schema: let it proceed rather than block it forever.
      db.close();
      options.onVersionChange?.();
    },
  });
  return db;
}

/** True for the errors browsers raise when the disk or the origin's quota is full. */
export function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);
}
