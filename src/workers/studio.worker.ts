/**
 * The studio worker: the only place TensorFlow.js runs. Its API is one object, exposed with comlink;
 * the page reaches it through studio-client.ts. Only plain data crosses: records, Files, ImageBitmaps
 * (transferred) and typed arrays. The work itself lives in the *-service modules.
 */
import { expose, transfer } from 'comlink';
import { loseGpuDevice } from './backend-setup';
import { addCustomBackbone, importDefaultBackbone, inspectModel } from './backbone-service';
import { engineStatus, jobs, start } from './context';
import { predictFiles, predictFrame } from './prediction-service';
import {
  addClass,
  addFrames,
  addImages,
  createProject,
  deleteClass,
  deleteProject,
  deleteSamples,
  renameClass,
  renameProject,
} from './projects-service';
import { augmentationPreview, discardRun, listBackbones, saveSettings, setBackbone, train } from './training-service';

const api = {
  start,
  /** The backend and backbone as they are now (a lost GPU can change the backend mid-session). */
  status: engineStatus,
  importBackbone: importDefaultBackbone,
  inspectModel,
  addCustomBackbone,
  listBackbones,
  setBackbone,

  createProject,
  renameProject,
  deleteProject,
  addClass,
  renameClass,
  deleteClass,
  addImages,
  addFrames,
  deleteSamples,

  saveSettings,
  /** Trains (or resumes an interrupted run); resolves to the stored run, or null when stopped before any epoch. */
  train,
  discardRun,
  async augmentationPreview(...args: Parameters<typeof augmentationPreview>): Promise<Uint8ClampedArray[]> {
    const views = await augmentationPreview(...args);
    return transfer(
      views,
      views.map((v) => v.buffer as ArrayBuffer),
    );
  },
  cancel(jobId: string): void {
    jobs.cancel(jobId);
  },

  predictFiles,
  predictFrame,
};

export type StudioApi = typeof api;

expose(api);

/**
 * Diagnostics, reachable only from developer tools or a test driver (not from pages): make the GPU
 * device go away as a driver reset would, to exercise the fallback to WASM.
 */
(self as unknown as { kilnDiagnostics: object }).kilnDiagnostics = { loseGpuDevice };
