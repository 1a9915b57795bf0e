import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../shared/hash';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../api/settings';
import type { CheckpointRecord, ClassRecord, ProjectRecord, RunRecord, SampleRecord } from '../api/types';
import { readZip, writeZip, ZipRefusedError } from '../shared/zip';
import { checkpoint, klass, project, run, sample } from '../test-support/records';
import { openKilnDB, type KilnDB } from '../storage/db';
import { putProjectBundle } from '../storage/projects';
import {
  exportProjectFile,
  importProjectFile,
  PROJECT_FILE_VERSION,
  ProjectFileError,
  projectFileName,
  safeFolderName,
} from './project-file';
import { checkExportable, MAX_PROJECT_FILE_PHOTOS } from './project-file/limits';

const DATA = new URL('../../../shared/datasets/hymenoptera/train/', import.meta.url);
const photo = (path: string) => new Uint8Array(readFileSync(new URL(path, DATA)));
const PHOTOS = {
  'formica.jpeg': photo('ants/formica.jpeg'),
  'trap-jaw.jpg': photo('ants/trap-jaw-ant-insect-bg.jpg'),
  'bee-1.jpg': photo('bees/36900412_92b81831ad.jpg'),
  'bee-2.jpg': photo('bees/21399619_3e61e5bb6f.jpg'),
};
type PhotoName = keyof typeof PHOTOS;

let n = 0;
const open: KilnDB[] = [];
/** Every database gets its own name: fake-indexeddb keeps them apart like separate browsers. */
async function freshDb(): Promise<KilnDB> {
  const db = await openKilnDB({ name: `project-file-test-${++n}` });
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const jpeg = (bytes: Uint8Array) => new Blob([bytes.slice()], { type: 'image/jpeg' });
const bytesOfBlob = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

const SETTINGS: Partial<TrainingSettings> = {
  epochs: 30,
  learningRate: 0.01,
  fineTuneBlocks: 1,
  augmentation: { ...DEFAULT_SETTINGS.augmentation, views: 3 },
};

interface Source {
  project: ProjectRecord;
  classes: ClassRecord[];
  samples: SampleRecord[];
  done: RunRecord;
  continued: RunRecord;
  running: RunRecord;
  checkpoints: CheckpointRecord[];
}

/** A project with two classes, four real photos, two finished runs with models and one still running. */
async function buildProject(db: KilnDB, name = 'Ants & bees'): Promise<Source> {
  const p = project({ name, createdAt: 100, updatedAt: 200, settings: SETTINGS });
  const ants = klass(p.id, 0, { name: 'Ants', createdAt: 10 });
  const bees = klass(p.id, 1, { name: 'bees', createdAt: 11 });
  const samples = (Object.keys(PHOTOS) as PhotoName[]).map((photoName, i) =>
    sample(p.id, photoName.startsWith('bee') ? bees.id : ants.id, {
      name: photoName,
      addedAt: 1000 + i,
      source: i === 3 ? 'webcam' : 'file',
      hash: `hash-${i}`,
      width: 300 + i,
      height: 200 + i,
      originalWidth: 600 + i,
      originalHeight: 400 + i,
      image: jpeg(PHOTOS[photoName]),
      // a different JPEG as the thumbnail, so image and thumb can't be mixed up unnoticed
      thumb: jpeg(PHOTOS[photoName === 'bee-1.jpg' ? 'formica.jpeg' : 'bee-1.jpg'].subarray(0, 500 + i)),
      ...(i === 2 ? { testOnly: true } : {}),
    }),
  );
  const [s0, s1, s2, s3] = samples as [SampleRecord, SampleRecord, SampleRecord, SampleRecord];
  const runClasses = [
    { id: ants.id, name: 'Ants', count: 2 },
    { id: bees.id, name: 'bees', count: 2 },
  ];
  const done = run(p.id, {
    createdAt: 5000,
    settings: { ...DEFAULT_SETTINGS, epochs: 30, fineTuneBlocks: 1 },
    classes: runClasses,
    curves: [
      { epoch: 1, loss: 0.9, accuracy: 0.5, valLoss: 0.8, valAccuracy: 0.5 },
      { epoch: 2, loss: 0.4, accuracy: 0.75, valLoss: null, valAccuracy: null },
    ],
    metrics: {
      trainCount: 3,
      validationCount: 1,
      validationAccuracy: 1,
      confusion: [
        [1, 0],
        [0, 0],
      ],
    },
    finalEpoch: 2,
    earlyStopped: true,
    classWeights: [1, 1.5],
    crossValidation: {
      k: 3,
      folds: [{ fold: 0, accuracy: 1, macroF1: 1, trainCount: 2, validationCount: 1, epochs: 4 }],
      accuracy: null,
      macroF1: null,
    },
    // 'deleted-photo' was removed after training: its id must still become a new one
    split: { train: [s0.id, s2.id, s3.id], validation: [s1.id, 'deleted-photo'] },
    fineTunedBlocks: 1,
    embeddings: { computed: 3, reused: 1 },
    validationPredictions: { sampleIds: [s1.id, 'deleted-photo'], truth: [0, 1], probabilities: [0.9, 0.1, 0.3, 0.7] },
    testPredictions: { sampleIds: [s2.id], truth: [1], probabilities: [0.2, 0.8] },
    data: { classCounts: [2, 2], testCount: 1, sampleSetHash: 'abc' },
  });
  const continued = run(p.id, {
    createdAt: 6000,
    status: 'stopped',
    classes: runClasses,
    split: { train: [s0.id, s2.id], validation: [s1.id, s3.id] },
    startedFrom: done.id,
    imported: null,
  });
  const running = run(p.id, {
    createdAt: 7000,
    status: 'running',
    classes: runClasses,
    split: { train: [s0.id], validation: [] },
  });
  p.activeRunId = continued.id;
  p.continueFromRunId = done.id;

  const headWeights = new Float32Array([0.5, -1.25, 3, 4, 5, 6, 7, 8, 9, 10]);
  const checkpoints = [
    checkpoint(done.id, p.id, {
      createdAt: 5001,
      epoch: 2,
      head: {
        modelTopology: {
          class_name: 'Sequential',
          config: { name: 'head', layers: [{ class_name: 'Dense', config: { units: 2 } }] },
        },
        weightSpecs: [
          { name: 'dense/kernel', shape: [4, 2], dtype: 'float32' },
          { name: 'dense/bias', shape: [2], dtype: 'float32' },
        ],
        weightData: headWeights.buffer.slice(0),
      },
      backbone: [
        {
          layer: 'block_16_project',
          values: [new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([0.25, 0.5])],
          shapes: [[1, 1, 3, 2], [2]],
        },
        { layer: 'Conv_1', values: [new Float32Array([-7, 8.5])], shapes: [[1, 2]] },
      ],
    }),
    checkpoint(continued.id, p.id, {
      createdAt: 6001,
      epoch: 1,
      head: {
        modelTopology: { class_name: 'Sequential' },
        weightSpecs: [{ name: 'b', shape: [3], dtype: 'float32' }],
        weightData: new Float32Array([1, 2, 3]).buffer,
      },
    }),
    checkpoint(running.id, p.id, {
      resume: { epoch: 1, history: [], bestEpoch: 1, bestValLoss: null, wait: 0, weights: [], bestWeights: null, optimizers: [] },
    }),
  ];
  await putProjectBundle(db, { project: p, classes: [bees, ants], samples, runs: [done, continued, running], checkpoints });
  return { project: p, classes: [ants, bees], samples, done, continued, running, checkpoints };
}

async function counts(db: KilnDB) {
  const [projects, classes, samples, runs, checkpoints] = await Promise.all([
    db.count('projects'),
    db.count('classes'),
    db.count('samples'),
    db.count('runs'),
    db.count('checkpoints'),
  ]);
  return { projects, classes, samples, runs, checkpoints };
}

async function storedProject(db: KilnDB, id: string) {
  const [classes, samples, runs, checkpoints] = await Promise.all([
    db.getAllFromIndex('classes', 'byProject', id),
    db.getAllFromIndex('samples', 'byProject', id),
    db.getAllFromIndex('runs', 'byProject', id),
    db.getAllFromIndex('checkpoints', 'byProject', id),
  ]);
  return {
    project: (await db.get('projects', id))!,
    classes: classes.sort((a, b) => a.order - b.order),
    samples,
    runs,
    checkpoints,
  };
}

describe('the project file', () => {
  it('round-trips a project into a fresh database with new ids and every reference remapped', async () => {
    const source = await freshDb();
    const original = await buildProject(source);
    const { fileName, bytes } = await exportProjectFile(source, original.project.id);
    expect(fileName).toBe('Ants-bees.kiln.zip');

    // What the file holds: no running run, no resume state, photos in class folders.
    const entries = readZip(bytes, 'projectFile');
    const manifest = JSON.parse(new TextDecoder().decode(entries.get('manifest.json'))) as Record<string, unknown> & {
      runs: RunRecord[];
      models: { runId: string }[];
      classes: { folder: string }[];
    };
    expect(manifest).toMatchObject({ format: 'kiln-project', version: PROJECT_FILE_VERSION, app: 'Kiln 0.1.0' });
    expect(manifest.runs.map((r) => r.id)).toEqual([original.done.id, original.continued.id]);
    expect(manifest.models.map((m) => m.runId).sort()).toEqual([original.done.id, original.continued.id].sort());
    expect(JSON.stringify(manifest)).not.toContain('resume');
    expect(manifest.classes.map((c) => c.folder)).toEqual(['Ants', 'bees']);
    expect(entries.get(`photos/Ants/${original.samples[0]!.id}.jpg`)).toEqual(PHOTOS['formica.jpeg']);
    expect([...entries.keys()].some((k) => k.includes(original.running.id))).toBe(false);

    const target = await freshDb();
    const imported = (await importProjectFile(target, bytes)).project;
    expect(await counts(target)).toEqual({ projects: 1, classes: 2, samples: 4, runs: 2, checkpoints: 2 });
    const got = await storedProject(target, imported.id);
    expect(got.project).toEqual(imported);

    // Project: same name, settings and backbone; new id; sorts first.
    expect(imported.id).not.toBe(original.project.id);
    expect(imported.name).toBe('Ants & bees');
    expect(imported.settings).toEqual(SETTINGS);
    expect(imported.backboneId).toBe(original.project.backboneId);
    expect(imported.createdAt).toBe(100);
    expect(imported.updatedAt).toBeGreaterThan(200);

    // Classes: same labels in the same order, new ids.
    expect(got.classes.map((c) => [c.name, c.order, c.createdAt])).toEqual([
      ['Ants', 0, 10],
      ['bees', 1, 11],
    ]);
    const newClassId = new Map(got.classes.map((c) => [c.name, c.id]));
    const oldClassName = new Map(original.classes.map((c) => [c.id, c.name]));
    for (const c of got.classes) expect(oldClassName.has(c.id)).toBe(false);

    // Photos: the same bytes, in the same class, with their details; new ids.
    expect(got.samples).toHaveLength(4);
    const newSampleId = new Map<string, string>();
    for (const s of got.samples) {
      const before = original.samples.find((o) => o.name === s.name)!;
      newSampleId.set(before.id, s.id);
      expect(s.id).not.toBe(before.id);
      expect(s.projectId).toBe(imported.id);
      expect(s.classId).toBe(newClassId.get(oldClassName.get(before.classId)!));
      expect(await bytesOfBlob(s.image)).toEqual(PHOTOS[s.name as PhotoName]);
      expect(await bytesOfBlob(s.thumb)).toEqual(await bytesOfBlob(before.thumb));
      const { id: _a, projectId: _b, classId: _c, image: _d, thumb: _e, ...details } = s;
      const { id: _f, projectId: _g, classId: _h, image: _i, thumb: _j, ...detailsBefore } = before;
      expect(details).toEqual(detailsBefore);
    }

    // Runs: equal but for remapped ids; the running one is left out.
    expect(got.runs).toHaveLength(2);
    const newRun = (old: RunRecord) => got.runs.find((r) => r.createdAt === old.createdAt)!;
    const done = newRun(original.done);
    const continued = newRun(original.continued);
    const ghost = done.split.validation[1]!;
    const remapSample = (id: string) => (id === 'deleted-photo' ? ghost : newSampleId.get(id)!);
    for (const [after, before] of [
      [done, original.done],
      [continued, original.continued],
    ] as const) {
      expect(after.id).not.toBe(before.id);
      expect(after.classes.map((c) => c.id)).toEqual(got.classes.map((c) => c.id));
      expect(after).toEqual({
        ...before,
        id: after.id,
        projectId: imported.id,
        classes: before.classes.map((c) => ({ ...c, id: newClassId.get(c.name)! })),
        split: { train: before.split.train.map(remapSample), validation: before.split.validation.map(remapSample) },
        ...(before.startedFrom ? { startedFrom: done.id } : {}),
        ...(before.validationPredictions
          ? {
              validationPredictions: {
                ...before.validationPredictions,
                sampleIds: before.validationPredictions.sampleIds.map(remapSample),
              },
              testPredictions: { ...before.testPredictions!, sampleIds: before.testPredictions!.sampleIds.map(remapSample) },
            }
          : {}),
      });
    }
    expect(ghost).not.toBe('deleted-photo');
    expect(got.samples.map((s) => s.id)).not.toContain(ghost);
    expect(continued.startedFrom).toBe(done.id);
    expect(imported.activeRunId).toBe(continued.id);
    expect(imported.continueFromRunId).toBe(done.id);

    // Models: the same head bytes and fine-tuned layer values, for the new run ids, no resume state.
    const model = got.checkpoints.find((c) => c.runId === done.id)!;
    const before = original.checkpoints[0]!;
    expect(model).toMatchObject({ projectId: imported.id, epoch: 2, createdAt: 5001, resume: null });
    expect(model.head.modelTopology).toEqual(before.head.modelTopology);
    expect(model.head.weightSpecs).toEqual(before.head.weightSpecs);
    expect(new Uint8Array(model.head.weightData)).toEqual(new Uint8Array(before.head.weightData));
    expect(model.backbone!.map((l) => l.layer)).toEqual(['block_16_project', 'Conv_1']);
    expect(model.backbone!.map((l) => l.shapes)).toEqual(before.backbone!.map((l) => l.shapes));
    expect(model.backbone!.map((l) => l.values.map((v) => Array.from(v)))).toEqual(
      before.backbone!.map((l) => l.values.map((v) => Array.from(v))),
    );
    expect(model.backbone![0]!.values[0]).toBeInstanceOf(Float32Array);
    const second = got.checkpoints.find((c) => c.runId === continued.id)!;
    expect(Array.from(new Float32Array(second.head.weightData))).toEqual([1, 2, 3]);
    expect(second.backbone).toBeNull();
  });

  it('imports the same file twice as two projects, the second named "(imported)"', async () => {
    const db = await freshDb();
    const original = await buildProject(db, 'Bugs');
    const { bytes } = await exportProjectFile(db, original.project.id);
    const first = (await importProjectFile(db, bytes)).project;
    const second = (await importProjectFile(db, bytes)).project;
    const third = (await importProjectFile(db, bytes)).project;
    expect([first.name, second.name, third.name]).toEqual(['Bugs (imported)', 'Bugs (imported 2)', 'Bugs (imported 3)']);
    expect(new Set([original.project.id, first.id, second.id, third.id]).size).toBe(4);
    expect(await counts(db)).toEqual({ projects: 4, classes: 8, samples: 16, runs: 3 + 3 * 2, checkpoints: 3 + 3 * 2 });
    // The copies don't share records with each other or with the original.
    const firstRuns = await db.getAllFromIndex('runs', 'byProject', first.id);
    const secondRuns = await db.getAllFromIndex('runs', 'byProject', second.id);
    expect(firstRuns.map((r) => r.id).filter((id) => secondRuns.some((r) => r.id === id))).toEqual([]);
    expect(first.activeRunId).not.toBe(second.activeRunId);
  });

  it('leaves out mid-training state: a checkpoint that still has resume state is not exported', async () => {
    const db = await freshDb();
    const p = project({ name: 'Half' });
    const c = klass(p.id, 0);
    const r = run(p.id, { status: 'stopped', classes: [{ id: c.id, name: c.name, count: 0 }] });
    const resume = {
      epoch: 3,
      history: [],
      bestEpoch: 2,
      bestValLoss: 0.5,
      wait: 1,
      weights: [new Float32Array(2)],
      bestWeights: null,
      optimizers: [],
    };
    await putProjectBundle(db, {
      project: p,
      classes: [c],
      samples: [],
      runs: [r],
      checkpoints: [checkpoint(r.id, p.id, { resume })],
    });
    const { bytes } = await exportProjectFile(db, p.id);
    const entries = readZip(bytes, 'projectFile');
    const manifest = JSON.parse(new TextDecoder().decode(entries.get('manifest.json'))) as { runs: unknown[]; models: unknown[] };
    expect(manifest.runs).toHaveLength(1);
    expect(manifest.models).toEqual([]);
    expect([...entries.keys()]).toEqual(['manifest.json']);
    const target = await freshDb();
    await importProjectFile(target, bytes);
    expect(await counts(target)).toEqual({ projects: 1, classes: 1, samples: 0, runs: 1, checkpoints: 0 });
  });

  it('exports a project without runs or settings, and imports it', async () => {
    const db = await freshDb();
    const p = project({ name: '  ' });
    const c = klass(p.id, 0, { name: 'only' });
    await putProjectBundle(db, {
      project: p,
      classes: [c],
      samples: [sample(p.id, c.id, { image: jpeg(PHOTOS['bee-1.jpg']) })],
      runs: [],
      checkpoints: [],
    });
    const { fileName, bytes } = await exportProjectFile(db, p.id);
    expect(fileName).toBe('kiln-project.kiln.zip');
    const target = await freshDb();
    const imported = (await importProjectFile(target, bytes)).project;
    expect(imported).toMatchObject({ name: 'Imported project', activeRunId: null, continueFromRunId: null });
    expect(imported.settings).toBeUndefined();
    const [s] = await target.getAll('samples');
    expect(await bytesOfBlob(s!.image)).toEqual(PHOTOS['bee-1.jpg']);
  });

  it('leaves out a photo that cannot be used, reports it by name and class, and opens the rest', async () => {
    const manifest = {
      format: 'kiln-project',
      version: 1,
      project: { name: 'Messy' },
      classes: [
        { name: 'Bees', folder: 'Bees' },
        { name: 'Ants', folder: 'Ants' },
      ],
      photos: [
        { class: 'Ants', file: 'photos/Ants/formica.jpeg', name: 'formica.jpeg' },
        { class: 'Bees', file: 'photos/Bees/notes.jpg', name: 'notes.jpg' },
        { class: 'Bees', file: 'photos/Bees/bee-2.jpg', name: 'bee-2.jpg' },
      ],
    };
    const bytes = writeZip({
      'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)),
      'photos/Ants/formica.jpeg': PHOTOS['formica.jpeg'],
      'photos/Bees/notes.jpg': new TextEncoder().encode('shopping list: milk, eggs'),
      'photos/Bees/bee-2.jpg': PHOTOS['bee-2.jpg'],
    });
    const db = await freshDb();
    const progress: number[] = [];
    // The worker decodes each photo; here a stand-in refuses what does not start like a JPEG.
    const report = await importProjectFile(db, bytes, {
      checkPhoto: async (photo) =>
        photo[0] === 0xff && photo[1] === 0xd8 ? null : { key: 'import.text', text: 'it is not an image: it contains text' },
      onProgress: ({ done, total }) => progress.push(done / total),
    });
    expect(progress.at(-1)).toBe(1);
    expect(report.classes).toEqual([
      {
        name: 'Bees',
        report: {
          added: 1,
          refused: [
            {
              name: 'notes.jpg',
              reason: 'it is not an image: it contains text',
              message: { key: 'import.text', text: 'it is not an image: it contains text' },
            },
          ],
          cancelled: false,
          stoppedBy: null,
        },
      },
      { name: 'Ants', report: { added: 1, refused: [], cancelled: false, stoppedBy: null } },
    ]);
    const stored = await db.getAll('samples');
    expect(stored.map((s) => s.name).sort()).toEqual(['bee-2.jpg', 'formica.jpeg']);
  });

  it('refuses a small file whose photos all name one entry (a zip bomb made of references), storing nothing', async () => {
    const manifest = {
      format: 'kiln-project',
      version: 1,
      project: { name: 'Bomb' },
      classes: [{ name: 'Bees', folder: 'Bees' }],
      photos: Array.from({ length: 1000 }, (_, i) => ({ class: 'Bees', file: 'photos/Bees/bee.jpg', name: `bee-${i}.jpg` })),
    };
    const bytes = writeZip({
      'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)),
      'photos/Bees/bee.jpg': PHOTOS['bee-1.jpg'],
    });
    expect(PHOTOS['bee-1.jpg'].length * 1000).toBeGreaterThan(4 * bytes.length + 16 * 1024 ** 2); // what the rule is for
    const db = await freshDb();
    const error = await importProjectFile(db, bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectFileError);
    expect((error as ProjectFileError).key).toBe('projectFile.repeatedPhotos');
    expect(await db.count('samples')).toBe(0);
  });

  it('refuses to write a project file it could not open again', () => {
    expect(() => checkExportable(MAX_PROJECT_FILE_PHOTOS)).not.toThrow();
    expect(() => checkExportable(MAX_PROJECT_FILE_PHOTOS + 1)).toThrow(/more than the 60000 one project file can carry/);
  });

  it('reads version 1 files: photos, classes and settings', async () => {
    const manifest = {
      format: 'kiln-project',
      version: 1,
      project: { name: 'Old one', settings: { epochs: 12, optimizer: 'sgd' } },
      classes: [
        { name: 'Bees', folder: 'Bees' },
        { name: 'Ants', folder: 'Ants' },
      ],
      photos: [
        { class: 'Ants', file: 'photos/Ants/formica.jpeg', name: 'formica.jpeg', addedAt: 42, width: 120, height: 80 },
        { class: 'Bees', file: 'photos/Bees/bee-1.jpg', name: 'bee-1.jpg', source: 'webcam' },
        { class: 'Bees', file: 'photos/Bees/bee-2.jpg', name: 'bee-2.jpg' },
      ],
    };
    const bytes = writeZip({
      'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)),
      'photos/Ants/formica.jpeg': PHOTOS['formica.jpeg'],
      'photos/Bees/bee-1.jpg': PHOTOS['bee-1.jpg'],
      'photos/Bees/bee-2.jpg': PHOTOS['bee-2.jpg'],
    });
    const db = await freshDb();
    const imported = (await importProjectFile(db, bytes)).project;
    const got = await storedProject(db, imported.id);
    expect(imported).toMatchObject({
      name: 'Old one',
      settings: { epochs: 12, optimizer: 'sgd' },
      activeRunId: null,
      cropMode: 'center',
    });
    expect(imported.backboneId).toBeTruthy();
    expect(got.classes.map((c) => c.name)).toEqual(['Bees', 'Ants']);
    expect(got.runs).toEqual([]);
    expect(got.samples).toHaveLength(3);
    for (const s of got.samples) {
      const expected = PHOTOS[s.name as PhotoName];
      expect(await bytesOfBlob(s.image)).toEqual(expected);
      expect(await bytesOfBlob(s.thumb)).toEqual(expected);
      expect(s.hash).toBe(await sha256Hex(expected.slice()));
      expect(got.classes.find((c) => c.id === s.classId)!.name).toBe(s.name.startsWith('bee') ? 'Bees' : 'Ants');
    }
    const formica = got.samples.find((s) => s.name === 'formica.jpeg')!;
    expect(formica).toMatchObject({ addedAt: 42, width: 120, height: 80, originalWidth: 0, originalHeight: 0, source: 'file' });
    expect(got.samples.find((s) => s.name === 'bee-1.jpg')!.source).toBe('webcam');
  });
});

describe('refusals', () => {
  const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

  /** A good export, changed: `change` edits the manifest and the file map before they are zipped again. */
  async function altered(
    db: KilnDB,
    projectId: string,
    change: (manifest: Record<string, any>, files: Map<string, Uint8Array>) => void, // eslint-disable-line @typescript-eslint/no-explicit-any
  ): Promise<Uint8Array> {
    const files = readZip((await exportProjectFile(db, projectId)).bytes, 'projectFile');
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as Record<string, unknown>;
    change(manifest, files);
    if (!files.has('manifest.json')) return writeZip(files);
    files.set('manifest.json', encode(manifest));
    return writeZip(files);
  }

  async function expectRefused(
    db: KilnDB,
    bytes: Uint8Array,
    message: RegExp,
    kind: new (...args: never[]) => Error = ProjectFileError,
  ) {
    const before = await counts(db);
    const error = await importProjectFile(db, bytes).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(/^The project file /);
    expect((error as Error).message).toMatch(message);
    expect(await counts(db)).toEqual(before);
  }

  it('an unaltered re-zip imports (so the refusals below are caused by their change)', async () => {
    const db = await freshDb();
    const { project: p } = await buildProject(db);
    const before = await counts(db);
    await importProjectFile(db, await altered(db, p.id, () => undefined));
    expect((await counts(db)).projects).toBe(before.projects + 1);
  });

  it('refuses what is not a sound zip, with readZip’s message', async () => {
    const db = await freshDb();
    const { project: p } = await buildProject(db);
    const good = (await exportProjectFile(db, p.id)).bytes;
    await expectRefused(db, encode('just some text, not a zip'), /is not a zip archive/, ZipRefusedError);
    await expectRefused(db, good.subarray(0, good.length - 30), /is damaged or incomplete/, ZipRefusedError);

    // A name with '..' (written as 'aa/', then patched: writeZip itself refuses unsafe names).
    const traversal = writeZip({ 'manifest.json': encode({}), 'aa/evil.txt': encode('x') });
    const name = encode('aa/evil.txt');
    for (let i = 0; i + name.length <= traversal.length; i++) {
      if (name.every((b, j) => traversal[i + j] === b)) traversal.set(encode('../evil.txt'), i);
    }
    await expectRefused(db, traversal, /unsafe name/, ZipRefusedError);

    const bomb = writeZip({ 'manifest.json': encode({}), 'zeros.txt': new Uint8Array(20 * 1024 ** 2) });
    await expectRefused(db, bomb, /zip bomb/, ZipRefusedError);
  });

  it('refuses files that are not Kiln project files, or from a newer Kiln', async () => {
    const db = await freshDb();
    await buildProject(db);
    await expectRefused(
      db,
      writeZip({ 'model.json': encode({}), 'weights.bin': new Uint8Array(4) }),
      /is not a Kiln project file: it has no manifest\.json\. If it is a Teachable Machine model, use 'Open a Teachable Machine model'\./,
    );
    await expectRefused(
      db,
      writeZip({ 'manifest.json': encode('{"format": "kiln-project", ') }),
      /manifest\.json is not valid JSON/,
    );
    await expectRefused(
      db,
      writeZip({ 'manifest.json': encode({ format: 'something-else', version: 2 }) }),
      /is not a Kiln project file/,
    );
    await expectRefused(
      db,
      writeZip({ 'manifest.json': encode({ format: 'kiln-project', version: 3 }) }),
      /^The project file was made by a newer Kiln \(format version 3\)\. Update Kiln \(reload the page when online\) and try again\.$/,
    );
    await expectRefused(
      db,
      writeZip({ 'manifest.json': encode({ format: 'kiln-project', version: 0 }) }),
      /unknown format version \(0\)/,
    );
    await expectRefused(db, writeZip({ 'manifest.json': encode({ format: 'kiln-project' }) }), /unknown format version/);
  });

  it('refuses incomplete or inconsistent project files, and writes nothing', async () => {
    const db = await freshDb();
    const { project: p, samples, done } = await buildProject(db);
    const photoPath = (m: Record<string, any>) => m.samples[0].image as string; // eslint-disable-line @typescript-eslint/no-explicit-any

    await expectRefused(
      db,
      await altered(db, p.id, (m, files) => files.delete(photoPath(m))),
      new RegExp(`is incomplete: the photo "${samples[0]!.name}" \\("photos/Ants/${samples[0]!.id}\\.jpg"\\) is missing`),
    );
    await expectRefused(
      db,
      await altered(db, p.id, (_m, files) => files.delete(`models/${done.id}/head.bin`)),
      /is incomplete: .*head\.bin.* is missing/,
    );
    await expectRefused(
      db,
      await altered(db, p.id, (_m, files) => files.delete(`models/${done.id}/backbone.bin`)),
      /backbone\.bin.* is missing/,
    );
    await expectRefused(
      db,
      await altered(db, p.id, (m) => (m.samples[1].classId = 'no-such-class')),
      /the photo "trap-jaw\.jpg" belongs to a class that is not in the file/,
    );
    await expectRefused(
      db,
      await altered(db, p.id, (_m, files) => files.set(`models/${done.id}/head.bin`, new Uint8Array(36))),
      /the weights of the model of training 1 .* are 36 bytes, but its weight list needs 40/,
    );
    await expectRefused(
      db,
      await altered(db, p.id, (m) => m.models[0].head.weightSpecs.push({ name: 'extra', shape: [1], dtype: 'float32' })),
      /are \d+ bytes, but its weight list needs \d+/,
    );
    await expectRefused(
      db,
      await altered(db, p.id, (_m, files) => files.set(`models/${done.id}/backbone.bin`, new Uint8Array(8))),
      /backbone\.bin/,
    );
    await expectRefused(
      db,
      await altered(db, p.id, (_m, files) => {
        const path = `models/${done.id}/backbone.bin`;
        files.set(path, new Uint8Array([...files.get(path)!, 0, 0, 0, 0]));
      }),
      /backbone\.bin" is 44 bytes, but the layer list needs 40/,
    );
    await expectRefused(
      db,
      await altered(db, p.id, (m) => (m.classes[1].name = 'ANTS')),
      /has two classes called "ANTS"\. Rename one of them/,
    );
    await expectRefused(db, await altered(db, p.id, (m) => (m.samples[1].id = m.samples[0].id)), /appears twice/);
    await expectRefused(
      db,
      await altered(db, p.id, (m) => (m.models[0].runId = 'gone')),
      /belongs to a training that is not in the file/,
    );
    await expectRefused(db, await altered(db, p.id, (m) => delete m.classes), /the list of classes is missing/);
  });

  it('refuses version 1 files whose photos or classes are missing', async () => {
    const db = await freshDb();
    await buildProject(db);
    const v1 = (photos: unknown[], extra: Record<string, Uint8Array> = {}) =>
      writeZip({
        'manifest.json': encode({
          format: 'kiln-project',
          version: 1,
          project: { name: 'x' },
          classes: [{ name: 'A', folder: 'A' }],
          photos,
        }),
        ...extra,
      });
    await expectRefused(
      db,
      v1([{ class: 'A', file: 'photos/A/a.jpg', name: 'a.jpg' }]),
      /the photo "a\.jpg" \("photos\/A\/a\.jpg"\) is missing/,
    );
    await expectRefused(
      db,
      v1([{ class: 'B', file: 'photos/B/b.jpg', name: 'b.jpg' }], { 'photos/B/b.jpg': PHOTOS['bee-1.jpg'] }),
      /the photo "b\.jpg" belongs to a class that is not in the file/,
    );
  });
});

describe('names', () => {
  it('makes folder names safe and unique, ignoring case', () => {
    const taken = new Set<string>();
    expect(
      ['Ants', 'ants', 'a/b\\c', '..', ' .hidden. ', 'CON', 'Äpfel 🍎', 'x'.repeat(100), 'Ants'].map((name) =>
        safeFolderName(name, taken),
      ),
    ).toEqual(['Ants', 'ants-2', 'a-b-c', 'class', 'hidden', 'CON_', 'Äpfel 🍎', 'x'.repeat(64), 'Ants-3']);
    expect(safeFolderName('a:b*c?')).toBe('a-b-c-');
  });

  it('names the file after the project', () => {
    expect(projectFileName('My cats & dogs!')).toBe('My-cats-dogs.kiln.zip');
    expect(projectFileName('***')).toBe('kiln-project.kiln.zip');
  });
});
