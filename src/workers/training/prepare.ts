import type { TrainingSettings } from '../../api/settings';
import { runCropMode } from '../../api/crop-mode';
import type { ClassRecord, CropMode, ProjectRecord, RunRecord, SampleRecord } from '../../api/types';
import { UserError } from '../../api/user-message';
import { MIN_PHOTOS_TO_TRAIN } from '../../ml/photo-counts';
import { scaleTarget, valueBands, type Quantity } from '../../ml/regression';
import { stratifiedSplit, type Split } from '../../ml/split';
import type { Objective } from '../../ml/train-loop';
import { listClasses } from '../../storage/classes';
import type { KilnDB } from '../../storage/db';
import { getProject } from '../../storage/projects';
import { getRun } from '../../storage/runs';
import { listSamplesOfProject } from '../../storage/samples';

/** Kiln's one rule for photo counts (src/ml/photo-counts.ts): fewer than this in a class and training is refused. */
export const MIN_PHOTOS_PER_CLASS = MIN_PHOTOS_TO_TRAIN;
export class TrainingRefusedError extends UserError {
  override name = 'TrainingRefusedError';
}

export interface TrainingRequest {
  projectId: string;
  settings: TrainingSettings;
  resumeRunId: string | null;
}

/** What a run trains on: its project, settings, photos and their class indices. */
export interface TrainingData {
  project: ProjectRecord;
  /** The interrupted run this one continues, or null for a new run. */
  resumed: RunRecord | null;
  settings: TrainingSettings;
  cropMode: CropMode;
  samples: SampleRecord[];
  classes: { id: string; name: string }[];
  /** Each sample's class index; a "Predict a number" run's: its value scaled to −1…1 (src/ml/regression.ts). */
  labels: number[];
  /** Set for a "Predict a number" run (its one class holds every photo), else null. */
  quantity: Quantity | null;
  /** Each sample's value in the quantity's unit ("Predict a number" runs); empty otherwise. */
  values: number[];
  /** What the loops minimise. */
  objective: Objective;
  /** What a split keeps in proportion: the class of each sample, or its band of the range. */
  strata: number[];
}

/** Fewer photos with a value than this and a "Predict a number" training is refused. */
export const MIN_VALUED_PHOTOS = 10;

/** A "Predict a number" project's photos that have a value (the rest are listed as unlabelled, never trained on). */
async function gatherValued(db: KilnDB, project: ProjectRecord, quantity: Quantity, resume: RunRecord | null) {
  const all = await listSamplesOfProject(db, project.id);
  const valued = (s: SampleRecord) => typeof s.value === 'number' && Number.isFinite(s.value);
  if (resume) {
    const byId = new Map(all.map((s) => [s.id, s]));
    const samples = [...resume.split.train, ...resume.split.validation].map((id) => byId.get(id));
    if (samples.some((s) => !s || !valued(s)))
      throw new TrainingRefusedError(
        'train.resumePhotosDeleted',
        'Some photos of this training were deleted since it stopped. Start a new training instead.',
      );
    return { samples: samples as SampleRecord[], classes: resume.classes.map((c) => ({ id: c.id, name: c.name })) };
  }
  const records = await listClasses(db, project.id);
  const samples = all.filter((s) => !s.testOnly && valued(s));
  if (samples.length < MIN_VALUED_PHOTOS)
    throw new TrainingRefusedError(
      'train.tooFewValues',
      `Give at least ${MIN_VALUED_PHOTOS} photos a value before training (${samples.length} have one).`,
      { count: MIN_VALUED_PHOTOS, have: samples.length },
    );
  const distinct = new Set(samples.map((s) => s.value)).size;
  if (distinct < 2)
    throw new TrainingRefusedError(
      'train.oneValue',
      `Every photo has the same ${quantity.name}: add photos with other values, so there is something to learn.`,
      { quantity: quantity.name },
    );
  // The model's one output, named by the quantity (the class record that holds the photos, when there is one).
  return { samples, classes: [{ id: records[0]?.id ?? project.id, name: quantity.name }] };
}

/** The photos and classes a run trains on, checked for what training needs. */
async function gatherData(db: KilnDB, project: ProjectRecord, resume: RunRecord | null) {
  if (resume) {
    const byId = new Map((await listSamplesOfProject(db, project.id)).map((s) => [s.id, s]));
    const ids = [...resume.split.train, ...resume.split.validation];
    const samples = ids.map((id) => byId.get(id));
    if (samples.some((s) => !s)) {
      throw new TrainingRefusedError(
        'train.resumePhotosDeleted',
        'Some photos of this training were deleted since it stopped. Start a new training instead.',
      );
    }
    const classes = resume.classes.map((c) => ({ id: c.id, name: c.name }));
    if (samples.some((s) => !classes.some((c) => c.id === s!.classId))) {
      throw new TrainingRefusedError(
        'train.resumePhotosMoved',
        'Some photos of this training changed class since it stopped. Start a new training instead.',
      );
    }
    return { samples: samples as SampleRecord[], classes };
  }
  const records = await listClasses(db, project.id);
  if (records.length < 2)
    throw new TrainingRefusedError(
      'train.tooFewClasses',
      'Add at least 2 classes before training: a model needs something to tell apart.',
    );
  // "Test only" photos are never trained or validated on; training-service scores them afterwards.
  const samples = (await listSamplesOfProject(db, project.id)).filter(
    (s) => !s.testOnly && records.some((c) => c.id === s.classId),
  );
  const short = records
    .filter((c) => samples.filter((s) => s.classId === c.id).length < MIN_PHOTOS_PER_CLASS)
    .map((c) => `"${c.name}"`);
  if (short.length > 0)
    throw new TrainingRefusedError(
      'train.tooFewPhotos',
      `Add at least ${MIN_PHOTOS_PER_CLASS} photos to ${short.join(', ')} before training.`,
      { count: MIN_PHOTOS_PER_CLASS, classes: short.join(', ') },
    );
  return { samples, classes: records.map((c: ClassRecord) => ({ id: c.id, name: c.name })) };
}

/** The project, the run to resume (if any) and its photos, or a refusal that says what to do. */
export async function prepareData(db: KilnDB, request: TrainingRequest): Promise<TrainingData> {
  const project = await getProject(db, request.projectId);
  if (!project) throw new TrainingRefusedError('project.gone', 'This project no longer exists.');
  const resumed = request.resumeRunId ? ((await getRun(db, request.resumeRunId)) ?? null) : null;
  if (request.resumeRunId && (!resumed || resumed.status !== 'running')) {
    throw new TrainingRefusedError('train.nothingToResume', 'There is no interrupted training to resume.');
  }
  const quantity = resumed ? (resumed.quantity ?? null) : (project.quantity ?? null);
  if (quantity) {
    const { samples, classes } = await gatherValued(db, project, quantity, resumed);
    const values = samples.map((s) => s.value!);
    const settings = resumed?.settings ?? request.settings;
    return {
      project,
      resumed,
      settings,
      cropMode: resumed ? runCropMode(resumed) : project.cropMode,
      samples,
      classes,
      labels: values.map((v) => scaleTarget(v, quantity)),
      quantity,
      values,
      objective: { kind: 'regress', loss: settings.regressionLoss },
      strata: valueBands(values, quantity),
    };
  }
  const { samples, classes } = await gatherData(db, project, resumed);
  const labels = samples.map((s) => classes.findIndex((c) => c.id === s.classId));
  return {
    project,
    resumed,
    settings: resumed?.settings ?? request.settings,
    // A resumed run keeps the mode it started with, whatever the project says now.
    cropMode: resumed ? runCropMode(resumed) : project.cropMode,
    samples,
    classes,
    labels,
    quantity: null,
    values: [],
    objective: { kind: 'classify' },
    strata: labels,
  };
}

/**
 * The split, as sample indices: kept from the interrupted run, or drawn now (seeded). With k-fold, the final
 * model sees everything.
 */
export function splitPhotos({ resumed, samples, settings, strata }: TrainingData): Split {
  const all = samples.map((_, i) => i);
  if (resumed) return { train: all.slice(0, resumed.split.train.length), validation: all.slice(resumed.split.train.length) };
  if (settings.folds > 0) return { train: all, validation: [] };
  return stratifiedSplit(strata, settings.validationFraction, settings.seed);
}
