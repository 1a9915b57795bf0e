import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Backbone } from '../ml/backbone';
import { withTrainingLock } from '../api/locks';
import type { BackendName, ProjectRecord, RunRecord } from '../api/types';
import { deleteRun, putRunProgress } from '../storage/runs';
import type { KilnDB } from '../storage/db';
import type { Engine } from './engine';
import { checkpointEachEpoch, resumePoint, type CheckpointTarget } from './training/checkpoint';
import { embedViews, loadBackbone, planViews, type EmbeddedViews } from './training/embed-views';
import { evaluateValidation } from './training/evaluate';
import { crossValidate, fitFinal, fitOnAll, type FitInputs } from './training/fit';
import { memberSeed, mergeHeads } from '../ml/ensemble';
import { scaleLogits } from '../ml/head';
import { refitPlan } from '../ml/refit';
import { fitTemperature } from '../ml/temperature';
import type { TrainableParts, TrainLoopResult } from '../ml/train-loop';
import { startingParts } from './training/parts';
import { prepareData, splitPhotos, type TrainingRequest } from './training/prepare';
import type { TrainControl } from './training/progress';
import { recordRun, runDuration, startRunRecord } from './training/record';
import { rowLookup } from './training/rows';

export { MIN_PHOTOS_PER_CLASS, TrainingRefusedError } from './training/prepare';
export type { TrainControl } from './training/progress';

export interface TrainOutcome {
  run: RunRecord;
  project: ProjectRecord;
  head: tfl.LayersModel;
  /** The fine-tuned backbone copy, when the run fine-tuned (the predictor keeps it). */
  fineTuned: Backbone | null;
  classes: { id: string; name: string }[];
}

/** What the locked part of a run works with, once its data is embedded and its record started. */
interface StartedRun extends FitInputs {
  run: RunRecord;
  embedded: EmbeddedViews;
  backend: () => BackendName;
  duration: () => number;
}

/**
 * One training run, from photos to a stored model: embed what is not cached (and the augmented views),
 * or compute block-boundary activations when fine-tuning; cross-validate when asked; train with a
 * checkpoint after every epoch; store the run and make its model the project's active one.
 */
export async function runTraining(
  db: KilnDB,
  engine: Engine,
  request: TrainingRequest,
  control: TrainControl & { onRunStarted?: (runId: string) => void },
): Promise<TrainOutcome | null> {
  const started = performance.now();
  const data = await prepareData(db, request);
  const model = await loadBackbone(engine, data, control);
  const split = splitPhotos(data);
  const { views, items } = planViews(data, split);
  const embedded = await embedViews(db, engine, model, items, control);
  if (!embedded) return null;
  const rows = rowLookup(views, embedded, data.labels);
  const start = await startingParts(db, data, model.spec, embedded.split);
  const backend = (): BackendName => engine.backend!.name;
  const run = await startRunRecord(db, { data, split, model, embedded, startedFrom: start.startedFrom, backend });
  control.onRunStarted?.(run.id);
  const duration = runDuration(started, data.resumed);
  const inputs = { db, data, split, rows, start, control, run, embedded, backend, duration };
  return withTrainingLock(run.id, () => fitAndRecord(inputs));
}

/** Fits (cross-validating first when asked), checkpoints each epoch, evaluates and records, holding the run's lock. */
async function fitAndRecord(inputs: StartedRun): Promise<TrainOutcome | null> {
  const { db, data, run, start, embedded } = inputs;
  await putRunProgress(db, run);
  let finalHead: tfl.LayersModel | null = null;
  let keepCopy = false;
  try {
    if (run.crossValidation && !(await crossValidate(inputs, run, run.crossValidation))) return await discard(db, run);
    const resume = await resumePoint(db, data.resumed, run.id);
    const parts = start.fresh();
    finalHead = parts.head;
    const target: CheckpointTarget = { runId: run.id, projectId: data.project.id, head: parts.head, split: embedded.split };
    const saveEpoch = checkpointEachEpoch(db, run, target, inputs.duration);
    const result = await fitFinal(inputs, run, parts, resume, saveEpoch);
    if (result.history.length === 0) return await discard(db, run);
    // Scored before the training on all photos: afterwards the held-back photos are no longer unseen.
    const scores = evaluateValidation(data, inputs.split, result);
    const kept = await trainOnAllPhotos(inputs, run, parts, result);
    finalHead = kept;
    target.head = kept;
    calibrate(kept, run, result, inputs);
    const saved = await recordRun(db, run, result, scores, { target, backend: inputs.backend(), duration: inputs.duration() });
    finalHead = null;
    keepCopy = true;
    return { ...saved, head: kept, fineTuned: embedded.copy, classes: data.classes };
  } finally {
    finalHead?.dispose();
    start.dispose();
    if (!keepCopy) embedded.copy?.dispose();
  }
}

/**
 * Trains the model once more on every photo, when the run's settings ask for it (src/ml/refit.ts) — as many
 * times as the plan averages, each from its own start, merged into one head (src/ml/ensemble.ts) — and
 * returns the head to keep: the new one, or the first one when there is nothing to do or Stop was pressed
 * (fine-tuned layers are then put back as the first training left them).
 */
async function trainOnAllPhotos(
  inputs: StartedRun,
  run: RunRecord,
  first: TrainableParts,
  result: TrainLoopResult,
): Promise<tfl.LayersModel> {
  const plan = refitPlan(inputs.data.settings, result, inputs.split.validation.length);
  if (!plan) return first.head;
  // Continuing an imported model: every member would start from its weights, and its export would grow wider
  // each time it is imported and trained again; it keeps its shape and trains once.
  if (inputs.start.startedFrom) plan.heads = 1;
  const firstSuffix = first.suffixVariables.map((v) => tf.clone(v));
  const members: tfl.LayersModel[] = [];
  try {
    for (let member = 0; member < plan.heads; member++) {
      const parts = inputs.start.fresh(memberSeed(inputs.data.settings.seed, member));
      members.push(parts.head);
      const refit = await fitOnAll(inputs, parts, plan, member);
      if (refit.stopped || refit.history.length === 0) {
        first.suffixVariables.forEach((v, i) => v.assign(firstSuffix[i]!));
        members.forEach((head) => head.dispose());
        return first.head;
      }
    }
  } catch (error) {
    members.forEach((head) => head.dispose());
    throw error;
  } finally {
    tf.dispose(firstSuffix);
  }
  first.head.dispose();
  run.refit = { epochs: plan.epochs, photos: inputs.split.train.length + inputs.split.validation.length, heads: plan.heads };
  if (members.length === 1) return members[0]!;
  const merged = mergeHeads(members);
  members.forEach((head) => head.dispose());
  return merged;
}

/**
 * Temperature scaling (src/ml/temperature.ts) fitted on the first training's answers on the held-back photos,
 * folded into the kept head's last layer: the same answers, with confidence that matches how often they are
 * right. Needs MIN_CALIBRATION_PHOTOS held-back photos; the stored validation answers stay as measured.
 */
function calibrate(head: tfl.LayersModel, run: RunRecord, result: TrainLoopResult, { data, split }: StartedRun): void {
  // A number has no confidence to calibrate.
  if (!result.validationProbabilities || data.quantity) return;
  const truth = split.validation.map((i) => data.labels[i]!);
  const temperature = fitTemperature(result.validationProbabilities, truth, data.classes.length);
  if (temperature === 1) return;
  scaleLogits(head, temperature);
  run.temperature = temperature;
}

/** A run stopped before it has a model to keep leaves nothing behind. */
async function discard(db: KilnDB, run: RunRecord): Promise<null> {
  await deleteRun(db, run.id);
  return null;
}
