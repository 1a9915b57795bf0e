/**
 * The worker's dependencies, made once: the database connection, the engine (backend + backbones) and
 * the predictor. Services receive them (services/deps.ts); nothing reaches for a module-global.
 */
import type { EngineStatus } from '../api/types';
import { UserError } from '../api/user-message';
import { openKilnDB, type KilnDB } from '../storage/db';
import { setLowMemoryHint } from './device-memory';
import { Engine, type EngineOptions } from './engine';
import { Predictor } from './predictor';
import type { StudioDeps } from './services/deps';

export interface StartOptions extends EngineOptions {
  /** A touch-first device (see device-memory.ts). */
  lowMemoryHint?: boolean;
}

export interface Runtime extends StudioDeps {
  /** Chooses the backend and loads the default backbone, once; later calls get the same result. */
  start(options: StartOptions): Promise<EngineStatus>;
  /** The backend and backbone as they are now (a lost GPU can change the backend mid-session). */
  status(): EngineStatus;
}

export function createRuntime(openDb: () => Promise<KilnDB> = () => openKilnDB()): Runtime {
  let database: Promise<KilnDB> | null = null;
  let engine: Engine | null = null;
  let predictor: Predictor | null = null;
  let started: Promise<EngineStatus> | null = null;

  const db = () => (database ??= openDb());
  const status = (): EngineStatus => {
    if (!engine?.backend) throw new UserError('studio.starting', 'The studio is still starting.');
    return { backend: engine.backend, backbone: engine.backboneStatus };
  };
  const readyEngine = async (): Promise<Engine> => {
    if (!started) throw new UserError('studio.notStarted', 'The studio has not been started.');
    await started;
    return engine!;
  };

  return {
    db,
    engine: readyEngine,
    predictor: async () => {
      await readyEngine();
      return predictor!;
    },
    status,
    start(options) {
      setLowMemoryHint(options.lowMemoryHint ?? false);
      started ??= (async () => {
        const opened = await db();
        engine = new Engine(opened);
        predictor = new Predictor(opened, engine);
        await engine.start(options);
        return status();
      })();
      return started;
    },
  };
}
