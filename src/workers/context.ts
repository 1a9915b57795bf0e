/**
 * The worker's shared state: one database connection, the engine (backend + backbones), the predictor,
 * cancellation tokens, and the channel that tells other tabs what this tab wrote.
 */
import { CHANGES_CHANNEL, type Change } from '../api/changes';
import type { EngineStatus } from '../api/types';
import { openKilnDB, type KilnDB } from '../storage/db';
import { setLowMemoryHint } from './device-memory';
import { Engine, type EngineOptions } from './engine';
import { Jobs } from './jobs';
import { Predictor } from './predictor';
import { UserError } from '../api/user-message';

let dbPromise: Promise<KilnDB> | null = null;
let tabId = '';
let engine: Engine | null = null;
let predictor: Predictor | null = null;
let startPromise: Promise<EngineStatus> | null = null;
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANGES_CHANNEL);

export const jobs = new Jobs();

export function db(): Promise<KilnDB> {
  dbPromise ??= openKilnDB();
  return dbPromise;
}

/** Tells the other tabs what this tab's worker just wrote. */
export function announce(scope: Change['scope'], projectId: string | null = null): void {
  channel?.postMessage({ origin: tabId, scope, projectId } satisfies Change);
}

export function engineStatus(): EngineStatus {
  if (!engine?.backend) throw new UserError('studio.starting', 'The studio is still starting.');
  return { backend: engine.backend, backbone: engine.backboneStatus };
}

/**
 * Chooses the backend and loads the default backbone, once; later calls get the same result.
 * `lowMemoryHint`: the page runs on a touch-first device (see device-memory.ts).
 */
export function start(options: EngineOptions & { tabId: string; lowMemoryHint?: boolean }): Promise<EngineStatus> {
  tabId = options.tabId;
  setLowMemoryHint(options.lowMemoryHint ?? false);
  startPromise ??= (async () => {
    const database = await db();
    engine = new Engine(database);
    predictor = new Predictor(database, engine);
    await engine.start(options);
    return engineStatus();
  })();
  return startPromise;
}

export async function readyEngine(): Promise<Engine> {
  if (!startPromise) throw new UserError('studio.notStarted', 'The studio has not been started.');
  await startPromise;
  return engine!;
}

export async function readyPredictor(): Promise<Predictor> {
  await readyEngine();
  return predictor!;
}
