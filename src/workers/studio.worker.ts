/**
 * The studio worker: the only place TensorFlow.js runs.
 * Owns: building the services with their dependencies and exposing them as one API object (comlink).
 * May import: services and what they use (ml, storage, export, shared, api). Never ui.
 * Its type, `StudioApi`, is the contract the page's client is typed by (src/api/contract.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { expose } from 'comlink';
import { CHANGES_CHANNEL, type Change, type TabChange } from '../api/changes';
import { loseGpuDevice } from './backend-setup';
import { recoveringGpuLoss } from './gpu-recovery';
import { Jobs } from './jobs';
import { wireOperations } from './operations';
import { createRuntime } from './runtime';
import { engineService } from './services/engine';
import { evaluationService } from './services/evaluation';
import { explanationService } from './services/explanation';
import { exportsService } from './services/exports';
import { galleryService } from './services/gallery';
import { healthService } from './services/health';
import { importsService } from './services/imports';
import { photosService } from './services/photos';
import { predictionService } from './services/prediction';
import { projectsService } from './services/projects';
import { trainingService } from './services/training';
import { fillDiskAfter } from './storage-fault';
import { overrideStoppingRule } from '../ml/early-stopping';

const runtime = createRuntime();
const jobs = new Jobs();
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANGES_CHANNEL);
/** This tab's id (from `start`): other tabs hear our changes with it; our own page hears them with each result. */
let origin = '';

const engine = engineService(runtime);
const services = {
  ...engine,
  async start(options: Parameters<typeof engine.start>[0]) {
    origin = options.tabId;
    return engine.start(options);
  },
  ...projectsService(runtime),
  ...photosService(runtime),
  ...trainingService(runtime), // resumes from its own checkpoint after a lost GPU
  // A lost GPU while predicting, scoring or exporting: moved off it, and the operation runs once more.
  ...recoveringGpuLoss(
    {
      ...galleryService(runtime),
      ...healthService(runtime),
      ...evaluationService(runtime),
      ...predictionService(runtime),
      ...explanationService(runtime),
      ...exportsService(runtime),
      ...importsService(runtime),
    },
    runtime,
  ),
};

function broadcast(changes: Change[]): void {
  for (const change of changes) channel?.postMessage({ ...change, origin } satisfies TabChange);
}

export const api = {
  ...wireOperations(services, jobs, broadcast),
  /** Stops the job with this id at its next step (the page's AbortSignal, across the boundary). */
  cancel(jobId: string): void {
    jobs.cancel(jobId);
  },
};

export type StudioApi = typeof api;

expose(api);

/**
 * Diagnostics, reachable only from developer tools or a test driver (not from pages): make the GPU
 * device go away as a driver reset would, to exercise the fallback to WASM; read memory use.
 */
(self as unknown as { kilnDiagnostics: object }).kilnDiagnostics = {
  loseGpuDevice,
  /** Photo writes fail as on a full disk after this many more photos (null: off). */
  fillDiskAfter,
  /** Another early-stopping rule (null: Kiln's), so bench:quality can compare rules on the real path. */
  overrideStoppingRule,
  /** Live tensors and their bytes, and this worker's JS heap where the browser reports it (benchmarks). */
  memory: () => ({
    ...tf.memory(),
    jsHeapBytes: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null,
  }),
};
