/**
 * A lost GPU at any time, not only during training (which resumes from its checkpoint, services/training.ts): an
 * operation that fails because the device went away moves the engine to WASM (or the CPU) and runs once more there.
 * The backend's reason then says what happened, in words; the page shows it (GpuLostNotice).
 */
import type { BackendName } from '../api/types';
import { UserError, userMessage, type UserMessage } from '../api/user-message';
import { BACKEND_LABELS } from '../ml/backends';
import { takeGpuLoss } from './backend-setup';
import type { Job } from './jobs';
import type { Service } from './operations';
import type { StudioDeps } from './services/deps';

/**
 * Where to go when the GPU is lost: WASM, which needs no GPU (WebGL would run on the same lost device),
 * or plain CPU if WASM itself was the one failing.
 */
export function fallbackFrom(current: BackendName): BackendName {
  return current === 'wasm' ? 'cpu' : 'wasm';
}

/** How long a failed operation waits for the device's "lost" signal, which can come a moment after the failure. */
const LOSS_SIGNAL_MS = 1000;

export function gpuLostMessage(from: BackendName, to: BackendName): UserMessage {
  return userMessage(
    'backend.gpuLost',
    `The graphics processor stopped responding, so Kiln moved from ${BACKEND_LABELS[from]} to ${BACKEND_LABELS[to]}. Everything carries on there.`,
    { from: BACKEND_LABELS[from], to: BACKEND_LABELS[to] },
  );
}

/**
 * After `error`: when the GPU was lost, moves the engine off it (models loaded for prediction are dropped, to be
 * rebuilt there) and resolves true; false when the error had another cause, or no backend would start.
 */
export async function recoverFromGpuLoss(deps: StudioDeps, error: unknown): Promise<boolean> {
  if (error instanceof UserError) return false; // a refusal with words, never a lost device
  const engine = await deps.engine().catch(() => null);
  const current = engine?.backend?.name;
  if (!engine || (current !== 'webgpu' && current !== 'webgl')) return false;
  if (!(await takeGpuLoss(LOSS_SIGNAL_MS))) return false;
  const next = fallbackFrom(current);
  const message = gpuLostMessage(current, next);
  (await deps.predictor()).forgetAll();
  return (await engine.switchBackend(next, message)) || (await engine.switchBackend('cpu', message));
}

/** Each service, run once more on the new backend when it failed because the GPU was lost. */
export function recoveringGpuLoss<S extends Record<string, Service>>(services: S, deps: StudioDeps): S {
  const wrapped = Object.entries(services).map(([name, service]) => [
    name,
    async (args: unknown, job: Job<unknown>) => {
      try {
        return await service(args, job);
      } catch (error) {
        if (!(await recoverFromGpuLoss(deps, error))) throw error;
        job.changed('engine');
        return await service(args, job);
      }
    },
  ]);
  return Object.fromEntries(wrapped) as S;
}
