/**
 * What services are built with. The worker makes one set (runtime.ts); unit tests pass fakes, so each
 * service can be tested alone.
 */
import type { KilnDB } from '../../storage/db';
import type { Engine } from '../engine';
import type { Predictor } from '../predictor';

export interface StudioDeps {
  /** The worker's one connection to IndexedDB. */
  db(): Promise<KilnDB>;
  /** The engine (backend + backbones) once started; refuses before `start`. */
  engine(): Promise<Engine>;
  /** Trained models in memory, for Preview and exports. */
  predictor(): Promise<Predictor>;
}

/** A file made in the worker, for the page to save. */
export interface Download {
  fileName: string;
  bytes: Uint8Array;
}
