import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpoint, klass, project, run, sample } from '../test-support/records';
import { getCachedBackbone, putCachedBackbone } from './backbones';
import { getCheckpoint, saveRunAndActivate } from './checkpoints';
import { deleteClassCascade, listClasses, putClass } from './classes';
import { DB_VERSION, openKilnDB, type KilnDB } from './db';
import { getEmbeddings, putEmbeddings } from './embeddings';
import { getPref, setPref } from './prefs';
import { deleteProjectCascade, getProject, listProjects, putProject, updateProject } from './projects';
import { deleteRun, getRun, listRuns, putRunProgress } from './runs';
import {
  addSamples,
  countSamplesOfClass,
  deleteSamples,
  listSamplesOfClass,
  listSamplesOfProject,
  updateSamples,
} from './samples';

let db: KilnDB;
let name: string;
let n = 0;

beforeEach(async () => {
  name = `kiln-test-${++n}`;
  db = await openKilnDB({ name });
});

afterEach(() => db.close());

describe('projects and classes', () => {
  it('lists projects newest first and updates them in place', async () => {
    const a = project({ name: 'A', updatedAt: 1 });
    const b = project({ name: 'B', updatedAt: 2 });
    await putProject(db, a);
    await putProject(db, b);
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['B', 'A']);
    const renamed = await updateProject(db, a.id, { name: 'A2' });
    expect(renamed.updatedAt).toBeGreaterThan(2);
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['A2', 'B']);
    await expect(updateProject(db, 'nope', { name: 'x' })).rejects.toThrow(/no longer exists/);
  });

  it('keeps classes in model order', async () => {
    const p = project();
    await putProject(db, p);
    const second = klass(p.id, 1, { name: 'bees' });
    const first = klass(p.id, 0, { name: 'ants' });
    await putClass(db, second);
    await putClass(db, first);
    await putClass(db, klass('other', 0));
    expect((await listClasses(db, p.id)).map((c) => c.name)).toEqual(['ants', 'bees']);
  });

  it('deleting a project removes its classes, photos, runs and models, and nothing of other projects', async () => {
    const keep = project();
    const gone = project();
    for (const p of [keep, gone]) {
      await putProject(db, p);
      const c = klass(p.id, 0);
      await putClass(db, c);
      await addSamples(db, [sample(p.id, c.id), sample(p.id, c.id)]);
      const r = run(p.id);
      await saveRunAndActivate(db, r, checkpoint(r.id, p.id));
    }
    await deleteProjectCascade(db, gone.id);
    expect(await getProject(db, gone.id)).toBeUndefined();
    expect(await listClasses(db, gone.id)).toEqual([]);
    expect(await listSamplesOfProject(db, gone.id)).toEqual([]);
    expect(await listRuns(db, gone.id)).toEqual([]);
    expect(await db.countFromIndex('checkpoints', 'byProject', gone.id)).toBe(0);
    expect(await listSamplesOfProject(db, keep.id)).toHaveLength(2);
    expect(await listRuns(db, keep.id)).toHaveLength(1);
  });

  it('deleting a class removes its photos only', async () => {
    const p = project();
    await putProject(db, p);
    const a = klass(p.id, 0);
    const b = klass(p.id, 1);
    await putClass(db, a);
    await putClass(db, b);
    await addSamples(db, [sample(p.id, a.id), sample(p.id, b.id), sample(p.id, b.id)]);
    await deleteClassCascade(db, b.id);
    expect(await countSamplesOfClass(db, b.id)).toBe(0);
    expect(await countSamplesOfClass(db, a.id)).toBe(1);
    expect((await listClasses(db, p.id)).map((c) => c.id)).toEqual([a.id]);
  });
});

describe('samples', () => {
  it('stores image blobs and lists them in the order they were added', async () => {
    const p = project();
    const c = klass(p.id, 0);
    await putClass(db, c);
    const later = sample(p.id, c.id, { addedAt: 20, name: 'b.jpg' });
    const earlier = sample(p.id, c.id, { addedAt: 10, name: 'a.jpg' });
    await addSamples(db, [later, earlier]);
    const listed = await listSamplesOfClass(db, c.id);
    expect(listed.map((s) => s.name)).toEqual(['a.jpg', 'b.jpg']);
    expect(listed[0]!.image).toBeInstanceOf(Blob);
    expect(new Uint8Array(await listed[0]!.image.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    await deleteSamples(db, [earlier.id]);
    expect(await countSamplesOfClass(db, c.id)).toBe(1);
  });

  it('writes a batch all or nothing', async () => {
    const p = project();
    const c = klass(p.id, 0);
    await putClass(db, c);
    const first = sample(p.id, c.id);
    await addSamples(db, [first]);
    // The same id again makes add() fail: the other sample of the batch must not land either.
    await expect(addSamples(db, [sample(p.id, c.id), { ...first }])).rejects.toThrow();
    expect(await countSamplesOfClass(db, c.id)).toBe(1);
  });

  it('are moved between classes and flagged test only in place, skipping ids that are gone', async () => {
    const p = project();
    const [a, b] = [klass(p.id, 0), klass(p.id, 1)];
    await putClass(db, a);
    await putClass(db, b);
    const photos = [sample(p.id, a.id), sample(p.id, a.id)];
    await addSamples(db, photos);
    await updateSamples(db, [photos[0]!.id, 'gone'], (s) => ({ ...s, classId: b.id, testOnly: true }));
    expect((await listSamplesOfClass(db, a.id)).map((s) => s.id)).toEqual([photos[1]!.id]);
    const moved = await listSamplesOfClass(db, b.id);
    expect(moved.map((s) => [s.id, s.testOnly])).toEqual([[photos[0]!.id, true]]);
    expect(await listSamplesOfProject(db, p.id)).toHaveLength(2);
  });
});

describe('embeddings', () => {
  it('are keyed by backbone, image hash and view, and missing ones come back undefined', async () => {
    const vector = new Float32Array([1, 2, 3]);
    await putEmbeddings(db, [{ backboneId: 'b1', hash: 'h1', view: 'center', vector }]);
    const found = await getEmbeddings(db, [
      { backboneId: 'b1', hash: 'h1', view: 'center' },
      { backboneId: 'b2', hash: 'h1', view: 'center' },
      { backboneId: 'b1', hash: 'h1', view: 'aug:1' },
    ]);
    expect(found[0]).toEqual(vector);
    expect(found[1]).toBeUndefined();
    expect(found[2]).toBeUndefined();
  });
});

describe('runs and models', () => {
  it('stores a run with its model and makes it active in one step', async () => {
    const p = project();
    await putProject(db, p);
    const r = run(p.id);
    const head = {
      modelTopology: { a: 1 },
      weightSpecs: [{ name: 'w', shape: [1], dtype: 'float32' }],
      weightData: new Float32Array([7]).buffer,
    };
    const saved = await saveRunAndActivate(db, r, checkpoint(r.id, p.id, { epoch: 3, head }));
    expect(saved.activeRunId).toBe(r.id);
    expect((await getProject(db, p.id))!.activeRunId).toBe(r.id);
    expect(new Float32Array((await getCheckpoint(db, r.id))!.head.weightData)).toEqual(new Float32Array([7]));
  });

  it('stores nothing when the project was deleted during training', async () => {
    const r = run('deleted');
    await expect(saveRunAndActivate(db, r, checkpoint(r.id, 'deleted'))).rejects.toThrow(/deleted while it was training/);
    expect(await listRuns(db, 'deleted')).toEqual([]);
    expect(await getCheckpoint(db, r.id)).toBeUndefined();
  });
});

describe('backbone cache and prefs', () => {
  it('keeps the backbone files and small per-device settings', async () => {
    const model = { modelTopology: {}, weightSpecs: [], weightData: new Float32Array([1, 2]).buffer };
    await putCachedBackbone(db, { id: 'm', sha256: 'abc', source: 'public', savedAt: 1, model });
    expect(new Float32Array((await getCachedBackbone(db, 'm'))!.model.weightData)).toEqual(new Float32Array([1, 2]));
    await setPref(db, 'backend-choice', { name: 'wasm' });
    expect(await getPref(db, 'backend-choice')).toEqual({ name: 'wasm' });
  });
});

describe('schema upgrades', () => {
  it('closes an old connection and tells the page when another tab opens a newer version', async () => {
    let told = false;
    const old = await openKilnDB({ name: `${name}-upgrade`, onVersionChange: () => (told = true) });
    const request = indexedDB.open(`${name}-upgrade`, DB_VERSION + 1);
    await new Promise<void>((resolve, reject) => {
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('blocked: the old connection did not close'));
    });
    expect(told).toBe(true);
    old.close();
  });
});

describe('runs in progress', () => {
  it('save each epoch with its checkpoint, and can be discarded without touching the active model', async () => {
    const p = project();
    await putProject(db, p);
    const done = run(p.id);
    await saveRunAndActivate(db, done, checkpoint(done.id, p.id));
    const running = run(p.id, { status: 'running' });
    await putRunProgress(db, running);
    const epoch = { epoch: 1, loss: 1, accuracy: 0.5, valLoss: null, valAccuracy: null };
    await putRunProgress(db, { ...running, curves: [epoch] }, checkpoint(running.id, p.id, { epoch: 1 }));
    expect((await getRun(db, running.id))!.curves).toHaveLength(1);
    expect((await getCheckpoint(db, running.id))!.epoch).toBe(1);
    await deleteRun(db, running.id);
    expect(await getRun(db, running.id)).toBeUndefined();
    expect(await getCheckpoint(db, running.id)).toBeUndefined();
    expect((await getProject(db, p.id))!.activeRunId).toBe(done.id);
  });

  it('deleting the active run leaves the project without a model', async () => {
    const p = project();
    await putProject(db, p);
    const done = run(p.id);
    await saveRunAndActivate(db, done, checkpoint(done.id, p.id));
    await deleteRun(db, done.id);
    expect((await getProject(db, p.id))!.activeRunId).toBeNull();
  });
});
