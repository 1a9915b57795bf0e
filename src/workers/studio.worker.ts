/**
 * The studio worker: the only place TensorFlow.js runs. Its API is one object, exposed with comlink;
 * the page reaches it through studio-client.ts. Only plain data crosses: records, Files, ImageBitmaps
 * (transferred) and typed arrays.
 */
import { expose } from 'comlink';
import { CHANGES_CHANNEL, type Change } from '../shared/changes';
import { DEFAULT_BACKBONE } from '../ml/backbone-catalogue';
import { TEACHABLE_MACHINE_DEFAULTS } from '../ml/head';
import { ModelFilesError, modelFromFiles } from '../ml/model-artifacts';
import type {
  BackendName,
  ClassRecord,
  EngineStatus,
  FilePrediction,
  HeadConfig,
  ImportProgress,
  ImportReport,
  Prediction,
  ProjectRecord,
  RunRecord,
  TrainProgress,
} from '../shared/types';
import { deleteClassCascade, getClass, listClasses, putClass } from '../storage/classes';
import { openKilnDB, type KilnDB } from '../storage/db';
import { deleteProjectCascade, putProject, updateProject } from '../storage/projects';
import { deleteSamples } from '../storage/samples';
import { Engine } from './engine';
import { importImages } from './importer';
import { Jobs } from './jobs';
import { decodeImageFile, ImageRefusedError, modelPixels } from './pixels';
import { Predictor } from './predictor';
import { trainProject } from './trainer';

let dbPromise: Promise<KilnDB> | null = null;
let tabId = '';
const changes = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANGES_CHANNEL);

/** Tells the other tabs what this tab's worker just wrote. */
function announce(scope: Change['scope'], projectId: string | null = null): void {
  changes?.postMessage({ origin: tabId, scope, projectId } satisfies Change);
}
let engine: Engine | null = null;
let predictor: Predictor | null = null;
let startPromise: Promise<EngineStatus> | null = null;
const jobs = new Jobs();
/** One training at a time per worker: the backend is shared. */
let training = false;

function db(): Promise<KilnDB> {
  dbPromise ??= openKilnDB();
  return dbPromise;
}

function status(): EngineStatus {
  if (!engine?.backend) throw new Error('The studio is still starting.');
  return { backend: engine.backend, backbone: engine.backboneStatus };
}

async function readyEngine(): Promise<Engine> {
  if (!startPromise) throw new Error('The studio has not been started.');
  await startPromise;
  return engine!;
}

async function readyBackbone() {
  const e = await readyEngine();
  if (!e.backbone) throw new Error(e.backboneStatus.message ?? 'The image model is not loaded.');
  return e.backbone;
}

function cleanName(name: string, what: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (!trimmed) throw new Error(`Give the ${what} a name.`);
  if (trimmed.length > 80) throw new Error(`Keep the ${what} name under 80 characters.`);
  return trimmed;
}

const api = {
  /** Chooses the backend and loads the backbone; safe to call again (returns the same result). */
  start(options: { forceBackend: BackendName | null; bundledBackboneUrl: string | null; tabId: string }): Promise<EngineStatus> {
    tabId = options.tabId;
    startPromise ??= (async () => {
      const database = await db();
      engine = new Engine(database, DEFAULT_BACKBONE);
      predictor = new Predictor(database);
      await engine.start(options);
      return status();
    })();
    return startPromise;
  },

  /** Uses model files the user picked (model.json + weights) as the backbone. */
  async importBackbone(files: File[]): Promise<EngineStatus> {
    const e = await readyEngine();
    const byName = new Map(files.map((f) => [f.name, f]));
    const modelJson = files.find((f) => f.name.endsWith('.json') && f.name !== 'metadata.json');
    if (!modelJson)
      throw new ModelFilesError('Choose the model.json file together with its weights file(s) (such as weights.bin).');
    const model = await modelFromFiles(await modelJson.text(), async (path) => {
      const file = byName.get(path.split('/').pop()!);
      if (!file) throw new ModelFilesError(`model.json needs "${path}": choose it together with model.json.`);
      return file.arrayBuffer();
    });
    await e.importBackbone(model);
    return status();
  },

  async createProject(name: string): Promise<ProjectRecord> {
    const now = Date.now();
    const project: ProjectRecord = {
      id: crypto.randomUUID(),
      name: cleanName(name, 'project'),
      createdAt: now,
      updatedAt: now,
      backboneId: DEFAULT_BACKBONE.id,
      cropMode: 'center',
      activeRunId: null,
    };
    await putProject(await db(), project);
    announce('projects');
    return project;
  },

  async renameProject(id: string, name: string): Promise<ProjectRecord> {
    const project = await updateProject(await db(), id, { name: cleanName(name, 'project') });
    announce('projects');
    announce('project', id);
    return project;
  },

  async deleteProject(id: string): Promise<void> {
    predictor?.forget(id);
    await deleteProjectCascade(await db(), id);
    announce('projects');
    announce('project', id);
  },

  async addClass(projectId: string, name: string): Promise<ClassRecord> {
    const database = await db();
    const clean = cleanName(name, 'class');
    const existing = await listClasses(database, projectId);
    if (existing.some((c) => c.name.toLowerCase() === clean.toLowerCase())) {
      throw new Error(`There is already a class called "${clean}".`);
    }
    const record: ClassRecord = {
      id: crypto.randomUUID(),
      projectId,
      name: clean,
      order: existing.reduce((max, c) => Math.max(max, c.order + 1), 0),
      createdAt: Date.now(),
    };
    await putClass(database, record);
    await updateProject(database, projectId, {});
    announce('project', projectId);
    return record;
  },

  async renameClass(id: string, name: string): Promise<ClassRecord> {
    const database = await db();
    const current = await getClass(database, id);
    if (!current) throw new Error('This class no longer exists.');
    const clean = cleanName(name, 'class');
    const siblings = await listClasses(database, current.projectId);
    if (siblings.some((c) => c.id !== id && c.name.toLowerCase() === clean.toLowerCase())) {
      throw new Error(`There is already a class called "${clean}".`);
    }
    const next = { ...current, name: clean };
    await putClass(database, next);
    predictor?.forget(current.projectId);
    announce('project', current.projectId);
    return next;
  },

  async deleteClass(id: string): Promise<void> {
    const database = await db();
    const current = await getClass(database, id);
    if (!current) return;
    await deleteClassCascade(database, id);
    predictor?.forget(current.projectId);
    announce('project', current.projectId);
  },

  async addImages(
    projectId: string,
    classId: string,
    files: File[],
    jobId: string | null,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<ImportReport> {
    const token = jobs.token(jobId);
    try {
      const items = files.map((file) => ({ kind: 'file' as const, file }));
      return await importImages(await db(), { projectId, classId }, items, { onProgress, isCancelled: token.isCancelled });
    } finally {
      token.done();
      announce('project', projectId);
    }
  },

  /** Webcam frames, transferred from the page. */
  async addFrames(projectId: string, classId: string, frames: ImageBitmap[]): Promise<ImportReport> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const items = frames.map((bitmap, i) => ({ kind: 'frame' as const, bitmap, name: `webcam-${stamp}-${i + 1}.jpg` }));
    try {
      return await importImages(await db(), { projectId, classId }, items);
    } finally {
      announce('project', projectId);
    }
  },

  async deleteSamples(projectId: string, ids: string[]): Promise<void> {
    await deleteSamples(await db(), ids);
    announce('project', projectId);
  },

  defaultConfig(): HeadConfig {
    return { ...TEACHABLE_MACHINE_DEFAULTS };
  },

  /** Trains the project's model; resolves to the stored run, or null when stopped before any epoch. */
  async train(
    projectId: string,
    config: HeadConfig,
    jobId: string | null,
    onProgress?: (progress: TrainProgress) => void,
  ): Promise<RunRecord | null> {
    if (training) throw new Error('A training is already running. Wait for it to finish or stop it.');
    training = true;
    const token = jobs.token(jobId);
    try {
      const e = await readyEngine();
      const backbone = await readyBackbone();
      const outcome = await trainProject(await db(), backbone, e.backend!.name, projectId, config, {
        onProgress,
        isCancelled: token.isCancelled,
      });
      if (!outcome) return null;
      predictor!.install(projectId, outcome.run.id, outcome.head, outcome.classes);
      announce('project', projectId);
      announce('projects');
      return outcome.run;
    } finally {
      training = false;
      token.done();
    }
  },

  cancel(jobId: string): void {
    jobs.cancel(jobId);
  },

  /** Predicts for photos the user picked in Preview; each file gets a prediction or a reason. */
  async predictFiles(
    projectId: string,
    files: File[],
    onResult?: (index: number, result: FilePrediction) => void,
  ): Promise<FilePrediction[]> {
    const backbone = await readyBackbone();
    const size = backbone.spec.inputSize;
    const results: FilePrediction[] = [];
    const CHUNK = 8;
    for (let start = 0; start < files.length; start += CHUNK) {
      const chunk = files.slice(start, start + CHUNK);
      const decoded = await Promise.all(
        chunk.map(async (file) => {
          try {
            const { bitmap } = await decodeImageFile(file);
            try {
              return { pixels: modelPixels(bitmap, size), error: null };
            } finally {
              bitmap.close();
            }
          } catch (error) {
            return { pixels: null, error: error instanceof ImageRefusedError ? error.message : String(error) };
          }
        }),
      );
      const good = decoded.filter((d) => d.pixels).map((d) => d.pixels!);
      const predictions = good.length ? await predictor!.predict(projectId, backbone, good) : [];
      let next = 0;
      decoded.forEach((d, i) => {
        const result: FilePrediction = {
          name: chunk[i]!.name,
          prediction: d.pixels ? predictions[next++]! : null,
          error: d.error,
        };
        results.push(result);
        onResult?.(start + i, result);
      });
    }
    return results;
  },

  /** Predicts one webcam frame (transferred; closed here). */
  async predictFrame(projectId: string, frame: ImageBitmap): Promise<Prediction> {
    const backbone = await readyBackbone();
    let pixels: Uint8ClampedArray;
    try {
      pixels = modelPixels(frame, backbone.spec.inputSize);
    } finally {
      frame.close();
    }
    const [prediction] = await predictor!.predict(projectId, backbone, [pixels]);
    return prediction!;
  },
};

export type StudioApi = typeof api;

expose(api);
