import type { BackendName, ProjectRecord, RunRecord } from '../../api/types';
import type { Split } from '../../ml/split';
import type { TrainLoopResult } from '../../ml/train-loop';
import { sha256Hex } from '../../shared/hash';
import { saveRunAndActivate } from '../../storage/checkpoints';
import type { KilnDB } from '../../storage/db';
import { listSamplesOfProject } from '../../storage/samples';
import { checkpointRecord, type CheckpointTarget } from './checkpoint';
import type { EmbeddedViews, RunBackbone } from './embed-views';
import type { TrainingData } from './prepare';

/** How long the run has trained, counting the time before an interruption: read when stored. */
export const runDuration = (started: number, resumed: RunRecord | null) => (): number =>
  (resumed?.durationMs ?? 0) + Math.round(performance.now() - started);

/** What a new run's record is made from. */
export interface RunStart {
  data: TrainingData;
  split: Split;
  model: RunBackbone;
  embedded: EmbeddedViews;
  /** The run whose head weights training continues from, if any. */
  startedFrom: string | null;
  backend: () => BackendName;
}

/** The record stored as training starts: the interrupted run it resumes, or a new one. */
export async function startRunRecord(
  db: KilnDB,
  { data, split, model, embedded, startedFrom, backend }: RunStart,
): Promise<RunRecord> {
  if (data.resumed) return data.resumed;
  const { project, settings, samples, classes, labels, quantity } = data;
  const counts = quantity ? [samples.length] : classes.map((_, k) => labels.filter((l) => l === k).length);
  const trainValues = quantity ? split.train.map((i) => data.values[i]!) : [];
  return {
    id: crypto.randomUUID(),
    projectId: project.id,
    createdAt: Date.now(),
    durationMs: 0,
    status: 'running',
    backboneId: model.spec.id,
    backboneName: model.spec.name,
    backend: backend(),
    cropMode: data.cropMode,
    settings,
    classes: classes.map((c, k) => ({ ...c, count: counts[k]! })),
    curves: [],
    metrics: {
      trainCount: split.train.length,
      validationCount: split.validation.length,
      validationAccuracy: null,
      confusion: [],
    },
    finalEpoch: 0,
    earlyStopped: false,
    classWeights: null,
    crossValidation: settings.folds > 0 ? { k: settings.folds, folds: [], accuracy: null, macroF1: null } : null,
    split: { train: split.train.map((i) => samples[i]!.id), validation: split.validation.map((i) => samples[i]!.id) },
    fineTunedBlocks: model.blocks,
    embeddings: embedded.stats,
    startedFrom,
    ...(quantity ? { quantity, trainMean: trainValues.reduce((a, b) => a + b, 0) / Math.max(1, trainValues.length) } : {}),
    data: {
      classCounts: counts,
      testCount: (await listSamplesOfProject(db, project.id)).filter((s) => s.testOnly).length,
      sampleSetHash: await sha256Hex(
        new TextEncoder().encode(
          samples
            .map((s) => s.hash)
            .sort()
            .join('\n'),
        ),
      ),
    },
  };
}

/** Stores the finished run with its final checkpoint and makes its model the project's active one. */
export async function recordRun(
  db: KilnDB,
  run: RunRecord,
  result: TrainLoopResult,
  scores: Pick<RunRecord, 'metrics' | 'validationPredictions'>,
  { target, backend, duration }: { target: CheckpointTarget; backend: BackendName; duration: number },
): Promise<{ run: RunRecord; project: ProjectRecord }> {
  const finished: RunRecord = {
    ...run,
    status: result.stopped ? 'stopped' : 'completed',
    backend,
    durationMs: duration,
    curves: result.history,
    finalEpoch: result.finalEpoch,
    earlyStopped: result.earlyStopped,
    ...scores,
  };
  const project = await saveRunAndActivate(db, finished, await checkpointRecord(target, result.finalEpoch, null));
  return { run: finished, project };
}
