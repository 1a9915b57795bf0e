/**
 * The page's only handle on the studio worker. Long calls take an AbortSignal (turned into a cancel
 * message, since signals cannot cross to a worker) and report progress through comlink proxies.
 */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import { messageOfError, UserError } from '../api/user-message';
import type { AugmentationSettings, TrainingSettings } from '../api/settings';
import type {
  BackboneChoice,
  BackboneSpec,
  BackendName,
  ClassRecord,
  CropMode,
  EngineStatus,
  FilePrediction,
  HealthReport,
  ImportProgress,
  ImportReport,
  MapPoint,
  PrecisionCheck,
  Prediction,
  ProjectRecord,
  RunRecord,
  SampleRecord,
  TrainProgress,
} from '../api/types';
import type { ClassStats } from '../storage/samples';
import type { Confidences } from './gallery-service';
import type { StudioApi } from './studio.worker';
import type { ModelInspection } from './backbone-service';
import type { DatasetReport } from './dataset-import';
import type { TmProjectReport } from './tm-project-import';
import type { ProjectionMethod } from '../ml/projection';
import type { WeightPrecision } from '../ml/quantize';

export type { ModelInspection };

export interface StudioClient {
  start(options: {
    forceBackend: BackendName | null;
    bundledBackboneUrl: string | null;
    tabId: string;
    /** A touch-first device (coarse pointer): smaller batches where the browser does not report its memory. */
    lowMemoryHint?: boolean;
  }): Promise<EngineStatus>;
  status(): Promise<EngineStatus>;
  importBackbone(files: File[]): Promise<EngineStatus>;
  inspectModel(files: File[]): Promise<ModelInspection>;
  addCustomBackbone(
    files: File[],
    options: { name: string; cutLayer: string; scaling: readonly [number, number] },
  ): Promise<BackboneSpec>;
  listBackbones(): Promise<BackboneChoice[]>;
  setBackbone(projectId: string, backboneId: string): Promise<void>;
  setCropMode(projectId: string, cropMode: CropMode): Promise<void>;
  /** One stored photo as the model sees it, centre-cropped then padded (RGBA, size × size). */
  cropModePreview(sampleId: string, size: number): Promise<Uint8ClampedArray[]>;
  createProject(name: string): Promise<ProjectRecord>;
  renameProject(id: string, name: string): Promise<ProjectRecord>;
  deleteProject(id: string): Promise<void>;
  addClass(projectId: string, name: string): Promise<ClassRecord>;
  renameClass(id: string, name: string): Promise<ClassRecord>;
  deleteClass(id: string): Promise<void>;
  addImages(
    projectId: string,
    classId: string,
    files: File[],
    options?: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void; testOnly?: boolean },
  ): Promise<ImportReport>;
  moveSamples(projectId: string, ids: string[], classId: string): Promise<void>;
  setTestOnly(projectId: string, ids: string[], testOnly: boolean): Promise<void>;
  /** Puts photos deleted a moment ago back exactly as they were (Undo). */
  restoreSamples(projectId: string, samples: SampleRecord[]): Promise<void>;
  /** Photo counts and bytes per class id, without the page reading every photo. */
  classStats(projectId: string): Promise<Record<string, ClassStats>>;
  /** The active model's confidence in each photo's own class (cached embeddings only). */
  ownClassConfidences(projectId: string): Promise<Confidences>;
  healthCheck(
    projectId: string,
    options: { nearThreshold: number; near: boolean },
    control?: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
  ): Promise<HealthReport>;
  setActiveRun(projectId: string, runId: string): Promise<ProjectRecord>;
  deleteRun(projectId: string, runId: string): Promise<void>;
  embeddingMap(
    projectId: string,
    method: ProjectionMethod,
    options?: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
  ): Promise<MapPoint[]>;
  addFrames(projectId: string, classId: string, frames: ImageBitmap[]): Promise<ImportReport>;
  deleteSamples(projectId: string, ids: string[]): Promise<void>;
  /** Empties the project's list of files its imports refused. */
  forgetRefused(projectId: string): Promise<void>;
  saveSettings(projectId: string, settings: Partial<TrainingSettings>): Promise<TrainingSettings>;
  train(
    projectId: string,
    request: { settings: Partial<TrainingSettings> | null; resumeRunId: string | null },
    options?: { signal?: AbortSignal; onProgress?: (p: TrainProgress) => void },
  ): Promise<RunRecord | null>;
  discardRun(runId: string): Promise<void>;
  augmentationPreview(
    sampleId: string,
    augmentation: AugmentationSettings,
    seed: number,
    size: number,
  ): Promise<Uint8ClampedArray[]>;
  predictFiles(
    projectId: string,
    files: File[],
    onResult?: (index: number, result: FilePrediction) => void,
  ): Promise<FilePrediction[]>;
  predictFrame(projectId: string, frame: ImageBitmap): Promise<Prediction>;
  exportModel(projectId: string, precision: WeightPrecision): Promise<Download>;
  checkPrecision(projectId: string, precision: WeightPrecision): Promise<PrecisionCheck>;
  exportDemo(projectId: string): Promise<Download>;
  importTeachableMachine(files: File[]): Promise<ProjectRecord>;
  importTmProject(
    file: File,
    options?: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void },
  ): Promise<TmProjectReport | null>;
  /** With `withBackbone`, a classroom pack: the project plus its image model, for devices that were never online. */
  exportProject(projectId: string, options?: { withBackbone?: boolean }): Promise<Download>;
  importProject(file: File): Promise<ProjectRecord>;
  exportDataset(projectId: string): Promise<Download>;
  importClassFolders(
    projectId: string,
    source: { zip: File } | { files: { path: string; file: File }[] },
    options?: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void },
  ): Promise<DatasetReport>;
}

/** A file made in the worker, for the page to save. */
export interface Download {
  fileName: string;
  bytes: Uint8Array;
}

/** Comlink rejects with the worker's Error; keep its message (and a UserError's key and values) for the user. */
function plain<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    const message = messageOfError(error);
    if (message) throw new UserError(message.key, message.text, message.values);
    throw error instanceof Error ? new Error(error.message) : new Error(String(error));
  });
}

function withSignal<T>(
  remote: Remote<StudioApi>,
  signal: AbortSignal | undefined,
  run: (jobId: string | null) => Promise<T>,
): Promise<T> {
  if (!signal) return plain(run(null));
  const jobId = crypto.randomUUID();
  const onAbort = () => void remote.cancel(jobId);
  signal.addEventListener('abort', onAbort, { once: true });
  return plain(run(jobId)).finally(() => signal.removeEventListener('abort', onAbort));
}

export function createStudioClient(worker: Worker): StudioClient {
  const remote = wrap<StudioApi>(worker);
  return {
    start: (options) => plain(remote.start(options)),
    status: () => plain(remote.status()),
    importBackbone: (files) => plain(remote.importBackbone(files)),
    inspectModel: (files) => plain(remote.inspectModel(files)),
    addCustomBackbone: (files, options) => plain(remote.addCustomBackbone(files, options)),
    listBackbones: () => plain(remote.listBackbones()),
    setBackbone: (projectId, backboneId) => plain(remote.setBackbone(projectId, backboneId)),
    setCropMode: (projectId, cropMode) => plain(remote.setCropMode(projectId, cropMode)),
    cropModePreview: (sampleId, size) => plain(remote.cropModePreview(sampleId, size)),
    createProject: (name) => plain(remote.createProject(name)),
    renameProject: (id, name) => plain(remote.renameProject(id, name)),
    deleteProject: (id) => plain(remote.deleteProject(id)),
    addClass: (projectId, name) => plain(remote.addClass(projectId, name)),
    renameClass: (id, name) => plain(remote.renameClass(id, name)),
    deleteClass: (id) => plain(remote.deleteClass(id)),
    addImages: (projectId, classId, files, options = {}) =>
      withSignal(remote, options.signal, (jobId) =>
        remote.addImages(projectId, classId, files, jobId, options.onProgress ? proxy(options.onProgress) : undefined, {
          testOnly: options.testOnly === true,
        }),
      ),
    moveSamples: (projectId, ids, classId) => plain(remote.moveSamples(projectId, ids, classId)),
    setTestOnly: (projectId, ids, testOnly) => plain(remote.setTestOnly(projectId, ids, testOnly)),
    restoreSamples: (projectId, samples) => plain(remote.restoreSamples(projectId, samples)),
    classStats: (projectId) => plain(remote.classStats(projectId)),
    ownClassConfidences: (projectId) => plain(remote.ownClassConfidences(projectId)),
    healthCheck: (projectId, options, control = {}) =>
      withSignal(remote, control.signal, (jobId) =>
        remote.healthCheck(projectId, options, jobId, control.onProgress ? proxy(control.onProgress) : undefined),
      ),
    setActiveRun: (projectId, runId) => plain(remote.setActiveRun(projectId, runId)),
    deleteRun: (projectId, runId) => plain(remote.deleteRun(projectId, runId)),
    embeddingMap: (projectId, method, options = {}) =>
      withSignal(remote, options.signal, (jobId) =>
        remote.embeddingMap(projectId, method, jobId, options.onProgress ? proxy(options.onProgress) : undefined),
      ),
    addFrames: (projectId, classId, frames) => plain(remote.addFrames(projectId, classId, transfer(frames, frames))),
    deleteSamples: (projectId, ids) => plain(remote.deleteSamples(projectId, ids)),
    forgetRefused: (projectId) => plain(remote.forgetRefused(projectId)),
    saveSettings: (projectId, settings) => plain(remote.saveSettings(projectId, settings)),
    train: (projectId, request, options = {}) =>
      withSignal(remote, options.signal, (jobId) =>
        remote.train(projectId, request, jobId, options.onProgress ? proxy(options.onProgress) : undefined),
      ),
    discardRun: (runId) => plain(remote.discardRun(runId)),
    augmentationPreview: (sampleId, augmentation, seed, size) =>
      plain(remote.augmentationPreview(sampleId, augmentation, seed, size)),
    predictFiles: (projectId, files, onResult) =>
      plain(remote.predictFiles(projectId, files, onResult ? proxy(onResult) : undefined)),
    predictFrame: (projectId, frame) => plain(remote.predictFrame(projectId, transfer(frame, [frame]))),
    exportModel: (projectId, precision) => plain(remote.exportModel(projectId, precision)),
    checkPrecision: (projectId, precision) => plain(remote.checkPrecision(projectId, precision)),
    exportDemo: (projectId) => plain(remote.exportDemo(projectId)),
    importTeachableMachine: (files) => plain(remote.importTeachableMachine(files)),
    importTmProject: (file, options = {}) =>
      withSignal(remote, options.signal, (jobId) =>
        remote.importTmProject(file, jobId, options.onProgress ? proxy(options.onProgress) : undefined),
      ),
    exportProject: (projectId, options) => plain(remote.exportProject(projectId, options)),
    importProject: (file) => plain(remote.importProject(file)),
    exportDataset: (projectId) => plain(remote.exportDataset(projectId)),
    importClassFolders: (projectId, source, options = {}) =>
      withSignal(remote, options.signal, (jobId) =>
        remote.importClassFolders(projectId, source, jobId, options.onProgress ? proxy(options.onProgress) : undefined),
      ),
  };
}

/** Starts the one studio worker for this page. */
export function startStudioWorker(): StudioClient {
  const worker = new Worker(new URL('./studio.worker.ts', import.meta.url), { type: 'module', name: 'kiln-studio' });
  return createStudioClient(worker);
}
