/**
 * The quality study's page side: the studio's own worker, reached through the studio's own client, as the
 * app reaches it. A set becomes a project (training photos, and test-only photos it never trains or
 * validates on); a method is training settings and an image model; the score is the app's own test-only
 * score, read from the run it stores.
 */
import { createClient } from '../src/api/client';
import { DEFAULT_SETTINGS, TEACHABLE_MACHINE_SETTINGS, type TrainingSettings } from '../src/api/settings';
import type { BackendName } from '../src/api/types';
import { evaluate } from '../src/ml/evaluation';
import type { StudioApi } from '../src/workers/studio.worker';

type Studio = ReturnType<typeof createClient<StudioApi>>;
let studio: Studio | null = null;

async function connect(backend: BackendName): Promise<Studio> {
  if (studio) return studio;
  const worker = new Worker(new URL('../src/workers/studio.worker.ts', import.meta.url), { type: 'module', name: 'kiln-studio' });
  studio = createClient<StudioApi>(worker, async () => {});
  // MobileNetV3-Small has no public address: served from ../shared as the copy a build brings along.
  const v3 = new URL('/shared/models/mobilenet-v3-small-1.0-224-no-top/model.json', location.href).href;
  await studio.start({
    forceBackend: backend,
    bundledBackboneUrl: null,
    bundledBackbones: { 'mobilenet-v3-small-1.0-224': v3 },
    tabId: 'quality-bench',
    lowMemoryHint: false,
  });
  return studio;
}

export interface SetClass {
  name: string;
  train: string[];
  test: string[];
}

async function files(urls: string[]): Promise<File[]> {
  return Promise.all(
    urls.map(async (url) => new File([await (await fetch(url)).blob()], decodeURIComponent(url.split('/').pop()!))),
  );
}

/** A project holding a set: its training photos, and its test photos marked "test only". */
async function prepareSet(
  backend: BackendName,
  name: string,
  classes: SetClass[],
): Promise<{ projectId: string; refused: number }> {
  const api = await connect(backend);
  const project = await api.createProject({ name });
  let refused = 0;
  for (const c of classes) {
    const cls = await api.addClass({ projectId: project.id, name: c.name });
    const train = await api.addImages({ projectId: project.id, classId: cls.id, files: await files(c.train) });
    const test = await api.addImages({ projectId: project.id, classId: cls.id, files: await files(c.test), testOnly: true });
    refused += train.refused.length + test.refused.length;
  }
  return { projectId: project.id, refused };
}

export interface Method {
  base: 'kiln' | 'teachable-machine';
  settings: Partial<TrainingSettings>;
  backboneId: string;
}

export interface Score {
  accuracy: number;
  macroF1: number;
  ece: number;
  testCount: number;
  /** Epochs trained on the split, the epoch kept, and the epochs trained again on all photos (0: none). */
  epochs: number;
  finalEpoch: number;
  refitEpochs: number;
  /** Whole training, from photos to a stored model with its test photos scored. */
  seconds: number;
}

async function trainAndScore(projectId: string, method: Method, seed: number): Promise<Score> {
  const api = studio!;
  await api.setBackbone({ projectId, backboneId: method.backboneId });
  const base = method.base === 'kiln' ? DEFAULT_SETTINGS : TEACHABLE_MACHINE_SETTINGS;
  const settings = { ...base, ...method.settings, seed };
  const started = performance.now();
  const run = await api.train({ projectId, settings, resumeRunId: null });
  const seconds = (performance.now() - started) / 1000;
  if (!run?.testPredictions) throw new Error('the run has no test-only score');
  const { truth, probabilities } = run.testPredictions;
  const scored = evaluate(truth, probabilities, run.classes.length);
  return {
    accuracy: scored.accuracy ?? 0,
    macroF1: scored.macro.f1,
    ece: scored.ece ?? 0,
    testCount: truth.length,
    epochs: run.curves.length,
    finalEpoch: run.finalEpoch,
    refitEpochs: run.refit?.epochs ?? 0,
    seconds,
  };
}

(window as unknown as { quality: object }).quality = { prepareSet, trainAndScore };
