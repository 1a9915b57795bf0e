/**
 * The studio worker: the only place TensorFlow.js runs. Its API is one object, exposed with comlink;
 * the page reaches it through studio-client.ts. Only plain data crosses: records, Files, ImageBitmaps
 * (transferred) and typed arrays. The work itself lives in the *-service modules.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expose, transfer } from 'comlink';
import { keepUserErrorKeys } from './user-error-transfer';
import { loseGpuDevice } from './backend-setup';
import { fillDiskAfter } from './storage-fault';
import { addCustomBackbone, importDefaultBackbone, inspectModel } from './backbone-service';
import { engineStatus, jobs, readyEngine, start } from './context';
import type { ImportProgress, ProjectRecord } from '../api/types';
import { announce, db } from './context';
import { exportDataset } from './dataset-export';
import { importClassFolders, zipClassFiles, type ClassFile, type DatasetReport } from './dataset-import';
import { deleteRun, embeddingMap, setActiveRun } from './evaluation-service';
import { checkPrecision, exportDemo, exportModel } from './export-service';
import { healthCheck } from './health-service';
import { classStats, ownClassConfidences, restoreSamples } from './gallery-service';
import { exportProjectFile, importProjectFile, ProjectFileError } from './project-file';
import { predictFiles, predictFrame } from './prediction-service';
import { importTeachableMachine } from './tm-import-service';
import { importTmProject, type TmProjectReport } from './tm-project-import';
import {
  addClass,
  addFrames,
  addImages,
  createProject,
  deleteClass,
  deleteProject,
  deleteSamples,
  forgetRefused,
  moveSamples,
  rememberRefused,
  renameClass,
  renameProject,
  setTestOnly,
} from './projects-service';
import { cropModePreview, setCropMode } from './crop-mode-service';
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
  setCropMode,

  createProject,
  renameProject,
  deleteProject,
  addClass,
  renameClass,
  deleteClass,
  addImages,
  addFrames,
  forgetRefused,
  deleteSamples,
  moveSamples,
  setTestOnly,
  restoreSamples,
  classStats,
  ownClassConfidences,
  healthCheck,

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
  async cropModePreview(...args: Parameters<typeof cropModePreview>): Promise<Uint8ClampedArray[]> {
    const views = await cropModePreview(...args);
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

  setActiveRun,
  deleteRun,
  embeddingMap,

  /** The active model as Teachable Machine's model.json + weights.bin + metadata.json, zipped. */
  async exportModel(...args: Parameters<typeof exportModel>): Promise<Download> {
    return asDownload(await exportModel(...args));
  },
  checkPrecision,
  async exportDemo(projectId: string): Promise<Download> {
    return asDownload(await exportDemo(projectId));
  },
  importTeachableMachine,
  /** A Teachable Machine project file (.tm): a new project with its classes and photos; null when cancelled. */
  async importTmProject(
    file: File,
    jobId: string | null,
    onProgress?: (p: ImportProgress) => void,
  ): Promise<TmProjectReport | null> {
    const token = jobs.token(jobId);
    try {
      const report = await importTmProject(await db(), file.name, new Uint8Array(await file.arrayBuffer()), {
        onProgress,
        isCancelled: token.isCancelled,
      });
      if (report)
        await rememberRefused(
          report.project.id,
          report.classes.map((c) => ({ className: c.name, report: c.report })),
        );
      return report;
    } finally {
      token.done();
      announce('projects');
    }
  },
  /** The whole project (photos, settings, runs, models) as one zip with a versioned manifest. */
  async exportProject(projectId: string, options: { withBackbone?: boolean } = {}): Promise<Download> {
    return asDownload(await exportProjectFile(await db(), projectId, options));
  },
  /** A project file or classroom pack; a pack's image model is stored and used when this device lacks it. */
  async importProject(file: File): Promise<ProjectRecord> {
    const engine = await readyEngine();
    const project = await importProjectFile(await db(), new Uint8Array(await file.arrayBuffer()), {
      installBackbone: async ({ spec, files }) => {
        try {
          await engine.installPackBackbone(spec, files);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new ProjectFileError(
            'pack.backboneUnusable',
            `The classroom pack's image model cannot be used: ${reason} Make the pack again with "Save a classroom pack".`,
            { reason },
          );
        }
      },
    });
    announce('projects');
    return project;
  },
  /** A zip or a folder of class folders: one class per folder (existing ones reused), all photos in. */
  async importClassFolders(
    projectId: string,
    source: { zip: File } | { files: ClassFile[] },
    jobId: string | null,
    onProgress?: (p: ImportProgress) => void,
  ): Promise<DatasetReport> {
    const token = jobs.token(jobId);
    try {
      const files = 'zip' in source ? zipClassFiles(new Uint8Array(await source.zip.arrayBuffer())) : source.files;
      const report = await importClassFolders(await db(), projectId, files, { onProgress, isCancelled: token.isCancelled });
      await rememberRefused(
        projectId,
        report.classes.map((c) => ({ className: c.name, report: c.report })),
      );
      return report;
    } finally {
      token.done();
      announce('project', projectId);
    }
  },
  /** The photos as class folders, with train.py for Python/Keras. */
  async exportDataset(projectId: string): Promise<Download> {
    return asDownload(await exportDataset(await db(), projectId));
  },
};

interface Download {
  fileName: string;
  bytes: Uint8Array;
}

/** Hands a file's bytes to the page without copying them. */
function asDownload(file: Download): Download {
  return transfer(file, [file.bytes.buffer as ArrayBuffer]);
}

export type StudioApi = typeof api;

keepUserErrorKeys();
expose(api);

/**
 * Diagnostics, reachable only from developer tools or a test driver (not from pages): make the GPU
 * device go away as a driver reset would, to exercise the fallback to WASM; read memory use.
 */
(self as unknown as { kilnDiagnostics: object }).kilnDiagnostics = {
  loseGpuDevice,
  /** Photo writes fail as on a full disk after this many more photos (null: off). */
  fillDiskAfter,
  /** Live tensors and their bytes, and this worker's JS heap where the browser reports it (benchmarks). */
  memory: () => ({
    ...tf.memory(),
    jsHeapBytes: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null,
  }),
};
