/** A training read from a version-2 file: its record with every id it holds remapped to the import's new ids. */
import { normalizeSettings } from '../../api/settings';
import type { PredictionSet, RunRecord } from '../../api/types';
import type { CheckedAnswers, CheckedRun } from './manifest';
import { damaged } from './refusals';

export interface RunContext {
  projectId: string;
  /** The new id of a training in the file, undefined for one that is not. */
  runId: (old: string) => string | undefined;
  remapClass: (id: string) => string;
  remapSample: (id: string) => string;
}

/** `r` (checked by the schema; its id already mapped), the `index`-th training written. */
export function readRun(r: CheckedRun, index: number, context: RunContext): RunRecord {
  const what = `training ${index + 1}`;
  const classes = r.classes.map((c) => ({ id: context.remapClass(c.id), name: c.name, count: c.count }));
  const run: RunRecord = {
    // Everything as stored first (curves, cross-validation, data…), then the checked and remapped parts over it.
    ...(r as unknown as RunRecord),
    id: context.runId(r.id)!,
    projectId: context.projectId,
    createdAt: r.createdAt,
    durationMs: r.durationMs,
    status: r.status,
    backboneId: r.backboneId,
    backboneName: r.backboneName ?? r.backboneId,
    backend: r.backend,
    settings: normalizeSettings(r.settings),
    classes,
    curves: r.curves as RunRecord['curves'],
    metrics: {
      trainCount: r.metrics.trainCount,
      validationCount: r.metrics.validationCount,
      validationAccuracy: r.metrics.validationAccuracy,
      confusion: r.metrics.confusion as number[][],
      ...(r.quantity && r.metrics.regression ? { regression: r.metrics.regression } : {}),
    },
    ...(r.quantity ? { quantity: r.quantity } : {}),
    finalEpoch: r.finalEpoch,
    earlyStopped: r.earlyStopped,
    classWeights: r.classWeights,
    crossValidation: r.crossValidation,
    split: { train: r.split.train.map(context.remapSample), validation: r.split.validation.map(context.remapSample) },
    fineTunedBlocks: r.fineTunedBlocks,
    embeddings: { computed: r.embeddings.computed, reused: r.embeddings.reused },
  };
  if ('startedFrom' in r) run.startedFrom = typeof r.startedFrom === 'string' ? (context.runId(r.startedFrom) ?? null) : null;
  for (const key of ['validationPredictions', 'testPredictions'] as const) {
    const set = r[key];
    if (set) {
      const whose = `the ${key === 'testPredictions' ? 'test' : 'validation'} answers of ${what}`;
      run[key] = r.quantity ? valueAnswers(set, whose, context) : answers(set, whose, classes.length, context);
    }
  }
  return run;
}

/** A "Predict a number" run's answers: one true and one predicted value per photo, with photo ids remapped. */
function valueAnswers(set: CheckedAnswers, what: string, context: RunContext): PredictionSet {
  const { sampleIds, truth, probabilities } = set;
  if (truth.length !== sampleIds.length || probabilities.length !== sampleIds.length) {
    throw damaged(`${what} do not fit the training's photos`);
  }
  return { sampleIds: sampleIds.map(context.remapSample), truth, probabilities };
}

/** A run's per-photo answers, checked against its classes, with photo ids remapped. */
function answers(set: CheckedAnswers, what: string, numClasses: number, context: RunContext): PredictionSet {
  const { sampleIds, truth, probabilities } = set;
  if (
    truth.length !== sampleIds.length ||
    !truth.every((t) => Number.isInteger(t) && t >= 0 && t < numClasses) ||
    !probabilities.every((p) => p >= 0 && p <= 1) ||
    probabilities.length !== sampleIds.length * numClasses
  ) {
    throw damaged(`${what} do not fit the training's photos and classes`);
  }
  return { sampleIds: sampleIds.map(context.remapSample), truth, probabilities };
}
