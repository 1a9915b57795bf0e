import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from '../api/types';
import { userMessage, type UserMessage } from '../api/user-message';
import { bridgeWasmGradients } from './wasm-gradients';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
});
bridgeWasmGradients();
// XNNPACK uses min(threads, cores / 2) by default: one thread on a two-core laptop. All cores is
// measurably faster (about 1.4x on two cores), and the UI thread does not compete for them.
if (globalThis.crossOriginIsolated) setThreadsCount(Math.max(1, navigator.hardwareConcurrency || 1));

/** Switches tfjs to `name`; false when that backend cannot start here. */
export async function activateBackend(name: BackendName): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return false;
    await tf.ready();
    if (tf.getBackend() !== name) return false;
    watchGpuLoss(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * How the WASM backend will run, as short translatable phrases ("SIMD", "2 threads"): SIMD and threads depend
 * on the browser and on cross-origin isolation.
 */
export async function wasmDetailMessages(): Promise<UserMessage[]> {
  const [simd, threads] = await Promise.all([
    tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  ]);
  const parts = [simd ? userMessage('backend.detail.simd', 'SIMD') : userMessage('backend.detail.noSimd', 'no SIMD')];
  if (threads) {
    const count = tf.getBackend() === 'wasm' ? getThreadsCount() : Math.max(1, navigator.hardwareConcurrency || 1);
    parts.push(userMessage('backend.detail.threads', `${count} thread${count === 1 ? '' : 's'}`, { count }));
  } else if (globalThis.crossOriginIsolated) {
    parts.push(userMessage('backend.detail.singleThread', 'single thread'));
  } else {
    parts.push(userMessage('backend.detail.notIsolated', 'single thread (page is not cross-origin isolated)'));
  }
  return parts;
}

/** The same in English: "SIMD, 2 threads". */
export async function wasmDetail(): Promise<string> {
  return (await wasmDetailMessages()).map((m) => m.text).join(', ');
}

let gpuLost = false;

/**
 * Watches the active GPU backend for a lost device (driver reset, GPU removed, tab backgrounded too
 * long on some systems). The trainer asks `takeGpuLoss()` when a step fails, and falls back if so.
 */
export function watchGpuLoss(name: BackendName): void {
  const backend = tf.backend() as unknown as { device?: { lost?: Promise<unknown> }; gpgpu?: { gl?: { canvas?: EventTarget } } };
  if (name === 'webgpu') void backend.device?.lost?.then(() => (gpuLost = true));
  if (name === 'webgl') backend.gpgpu?.gl?.canvas?.addEventListener('webglcontextlost', () => (gpuLost = true));
}

/**
 * True when the GPU device was lost. A failed step often surfaces (a rejected buffer read) a moment
 * before the device's `lost` promise settles, so this waits up to `withinMs` for it.
 */
export async function takeGpuLoss(withinMs = 2000): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  while (!gpuLost && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const lost = gpuLost;
  gpuLost = false;
  return lost;
}

/** Diagnostics for tests and support: makes the GPU device go away as a driver reset would. */
export function loseGpuDevice(): boolean {
  const backend = tf.backend() as unknown as { device?: { destroy?: () => void } };
  if (!backend.device?.destroy) return false;
  backend.device.destroy();
  return true;
}
