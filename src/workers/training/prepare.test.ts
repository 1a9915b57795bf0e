import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../../api/settings';
import { putClass } from '../../storage/classes';
import { openKilnDB, type KilnDB } from '../../storage/db';
import { putProject } from '../../storage/projects';
import { putRunProgress } from '../../storage/runs';
import { addSamples } from '../../storage/samples';
import { klass, project, run, sample } from '../../test-support/records';
import { MIN_PHOTOS_PER_CLASS, prepareData, splitPhotos, TrainingRefusedError } from './prepare';

let db: KilnDB | null = null;
let n = 0;

afterEach(() => db?.close());

const settings = (overrides: Partial<TrainingSettings> = {}): TrainingSettings => ({ ...DEFAULT_SETTINGS, ...overrides });

/** A stored project with two classes holding `rocks` and `papers` photos (plus one test-only rock). */
async function stored(rocks: number, papers: number) {
  db = await openKilnDB({ name: `kiln-prepare-${++n}` });
  const p = project({ cropMode: 'pad' });
  const [rock, paper] = [klass(p.id, 0, { name: 'rock' }), klass(p.id, 1, { name: 'paper' })];
  const photos = [
    ...Array.from({ length: rocks }, () => sample(p.id, rock.id)),
    ...Array.from({ length: papers }, () => sample(p.id, paper.id)),
  ];
  await putProject(db, p);
  await Promise.all([putClass(db, rock), putClass(db, paper)]);
  await addSamples(db, [...photos, sample(p.id, rock.id, { testOnly: true })]);
  return { db, p, rock, paper, photos };
}

/** The refusal's message key, or null when preparing succeeds. */
const refusal = (work: Promise<unknown>) =>
  work.then(
    () => null,
    (error: unknown) => {
      expect(error).toBeInstanceOf(TrainingRefusedError);
      return { key: (error as TrainingRefusedError).key, text: (error as Error).message };
    },
  );

describe('preparing a training run’s data', () => {
  it('refuses a project that is gone, or a resume with nothing interrupted', async () => {
    const { db, p } = await stored(3, 3);
    const request = { projectId: p.id, settings: settings(), resumeRunId: null };
    expect(await refusal(prepareData(db, { ...request, projectId: 'gone' }))).toEqual({
      key: 'project.gone',
      text: 'This project no longer exists.',
    });
    const finished = run(p.id, { status: 'completed' });
    await putRunProgress(db, finished);
    for (const resumeRunId of ['missing', finished.id]) {
      expect((await refusal(prepareData(db, { ...request, resumeRunId })))?.key).toBe('train.nothingToResume');
    }
  });

  it('refuses fewer than 2 classes, and names the classes short of photos (test-only photos do not count)', async () => {
    const { db, p, paper } = await stored(MIN_PHOTOS_PER_CLASS - 1, MIN_PHOTOS_PER_CLASS);
    const request = { projectId: p.id, settings: settings(), resumeRunId: null };
    expect(await refusal(prepareData(db, request))).toEqual({
      key: 'train.tooFewPhotos',
      text: `Add at least ${MIN_PHOTOS_PER_CLASS} photos to "rock" before training.`,
    });

    const lonely = project();
    await putProject(db, lonely);
    await putClass(db, { ...paper, id: 'only', projectId: lonely.id });
    expect((await refusal(prepareData(db, { ...request, projectId: lonely.id })))?.key).toBe('train.tooFewClasses');
  });

  it('gathers the trainable photos with their class indices and the project’s crop mode', async () => {
    const { db, p, rock, photos } = await stored(3, 2);
    const data = await prepareData(db, { projectId: p.id, settings: settings({ seed: 7 }), resumeRunId: null });
    expect(data.resumed).toBeNull();
    expect(data.settings.seed).toBe(7);
    expect(data.cropMode).toBe('pad');
    expect(data.classes.map((c) => c.name)).toEqual(['rock', 'paper']);
    expect(data.samples.map((s) => s.id).sort()).toEqual(photos.map((s) => s.id).sort());
    expect(data.labels).toEqual(data.samples.map((s) => (s.classId === rock.id ? 0 : 1)));
  });

  it('resumes with the interrupted run’s photos, split, settings and crop mode, or refuses if they changed', async () => {
    const { db, p, rock, paper, photos } = await stored(3, 3);
    const interrupted = run(p.id, {
      status: 'running',
      settings: settings({ seed: 99 }),
      cropMode: 'center',
      classes: [rock, paper].map((c) => ({ id: c.id, name: c.name, count: 3 })),
      split: { train: photos.slice(0, 4).map((s) => s.id), validation: photos.slice(4).map((s) => s.id) },
    });
    await putRunProgress(db, interrupted);
    const request = { projectId: p.id, settings: settings(), resumeRunId: interrupted.id };
    const data = await prepareData(db, request);
    expect(data.resumed?.id).toBe(interrupted.id);
    expect(data.settings.seed).toBe(99);
    expect(data.cropMode).toBe('center');
    expect(data.samples.map((s) => s.id)).toEqual(photos.map((s) => s.id));
    expect(data.labels).toEqual([0, 0, 0, 1, 1, 1]);
    expect(splitPhotos(data)).toEqual({ train: [0, 1, 2, 3], validation: [4, 5] });

    const moved = { ...interrupted, id: 'moved', classes: interrupted.classes.slice(0, 1) };
    const deleted = { ...interrupted, id: 'deleted', split: { train: ['gone'], validation: [] } };
    await Promise.all([putRunProgress(db, moved), putRunProgress(db, deleted)]);
    expect((await refusal(prepareData(db, { ...request, resumeRunId: 'moved' })))?.key).toBe('train.resumePhotosMoved');
    expect((await refusal(prepareData(db, { ...request, resumeRunId: 'deleted' })))?.key).toBe('train.resumePhotosDeleted');
  });

  it('splits with the seed (the same draw each time), or trains on every photo under k-fold', async () => {
    const { db, p } = await stored(10, 10);
    const request = { projectId: p.id, settings: settings({ folds: 0, validationFraction: 0.2 }), resumeRunId: null };
    const data = await prepareData(db, request);
    const split = splitPhotos(data);
    expect(split.validation).toHaveLength(4);
    expect(split.validation.filter((i) => data.labels[i] === 0)).toHaveLength(2);
    expect([...split.train, ...split.validation].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(splitPhotos(await prepareData(db, request))).toEqual(split);

    const folded = await prepareData(db, { ...request, settings: settings({ folds: 5 }) });
    expect(splitPhotos(folded)).toEqual({ train: [...Array(20).keys()], validation: [] });
  });
});
