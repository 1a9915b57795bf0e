import type { TrainingSettings } from '../../api/settings';
import { runCropMode } from '../../api/crop-mode';
import type { ClassRecord, CropMode, ProjectRecord, RunRecord, SampleRecord } from '../../api/types';
import { UserError } from '../../api/user-message';
import { MIN_PHOTOS_TO_TRAIN } from '../../ml/photo-counts';
import { stratifiedSplit, type Split } from '../../ml/split';
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
  /** Each sample's class index. */
  labels: number[];
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
  const { samples, classes } = await gatherData(db, project, resumed);
  return {
    project,
    resumed,
    settings: resumed?.settings ?? request.settings,
    // A resumed run keeps the mode it started with, whatever the project says now.
    cropMode: resumed ? runCropMode(resumed) : project.cropMode,
    samples,
    classes,
    labels: samples.map((s) => classes.findIndex((c) => c.id === s.classId)),
  };
}

/**
 * The split, as sample indices: kept from the interrupted run, or drawn now (seeded). With k-fold, the final
 * model sees everything.
 */
export function splitPhotos({ resumed, samples, settings, labels }: TrainingData): Split {
  const all = samples.map((_, i) => i);
  if (resumed) return { train: all.slice(0, resumed.split.train.length), validation: all.slice(resumed.split.train.length) };
  if (settings.folds > 0) return { train: all, validation: [] };
  return stratifiedSplit(labels, settings.validationFraction, settings.seed);
}
