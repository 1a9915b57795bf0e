import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { putClassesWithIds, sample } from '../test-support/records';
import { openKilnDB, type KilnDB } from './db';
import {
  addSamples,
  classStatsOfProject,
  deleteSamples,
  getSamples,
  listSampleIdsOfClass,
  listSamplesOfClass,
  putSamples,
  updateSamples,
  ClassGoneError,
} from './samples';
import { deleteClassCascade } from './classes';

let db: KilnDB | null = null;
let n = 0;

afterEach(() => db?.close());

describe('the gallery reads of the samples store', () => {
  it('lists a class’s photo ids oldest first from the index alone', async () => {
    db = await openKilnDB({ name: `kiln-gallery-${++n}` });
    await putClassesWithIds(db, 'p', ['rock', 'paper']);
    const late = sample('p', 'rock', { addedAt: 30 });
    const early = sample('p', 'rock', { addedAt: 10 });
    const middle = sample('p', 'rock', { addedAt: 20 });
    await addSamples(db, [late, early, middle, sample('p', 'paper', { addedAt: 15 })]);
    expect(await listSampleIdsOfClass(db, 'rock')).toEqual([early.id, middle.id, late.id]);
    expect(await listSampleIdsOfClass(db, 'nothing')).toEqual([]);
  });

  it('counts training and test photos and their bytes per class', async () => {
    db = await openKilnDB({ name: `kiln-gallery-${++n}` });
    await putClassesWithIds(db, 'p', ['rock', 'paper']);
    await addSamples(db, [
      sample('p', 'rock'),
      sample('p', 'rock', { testOnly: true }),
      sample('p', 'paper'),
      sample('other', 'rock'),
    ]);
    const stats = await classStatsOfProject(db, 'p');
    expect(stats.get('rock')).toEqual({ count: 1, testCount: 1, bytes: 8 });
    expect(stats.get('paper')).toEqual({ count: 1, testCount: 0, bytes: 4 });
  });

  it('writes no photo into a class deleted a moment before (in another tab, say), and moves none into one', async () => {
    db = await openKilnDB({ name: `kiln-gallery-${++n}` });
    await putClassesWithIds(db, 'p', ['rock', 'paper']);
    const kept = sample('p', 'rock');
    await addSamples(db, [kept]);
    await deleteClassCascade(db, 'paper');
    await expect(addSamples(db, [sample('p', 'rock'), sample('p', 'paper')])).rejects.toBeInstanceOf(ClassGoneError);
    await expect(putSamples(db, [sample('p', 'paper')])).rejects.toThrow(/was deleted/);
    await expect(updateSamples(db, [kept.id], (s) => ({ ...s, classId: 'paper' }))).rejects.toBeInstanceOf(ClassGoneError);
    expect(await db.count('samples')).toBe(1);
    expect((await getSamples(db, [kept.id]))[0]!.classId).toBe('rock');
  });

  it('puts deleted samples back exactly', async () => {
    db = await openKilnDB({ name: `kiln-gallery-${++n}` });
    await putClassesWithIds(db, 'p', ['rock', 'paper']);
    const kept = [sample('p', 'rock', { name: 'a.jpg', testOnly: true }), sample('p', 'rock', { name: 'b.jpg' })];
    await addSamples(db, kept);
    const before = await getSamples(
      db,
      kept.map((s) => s.id),
    );
    await deleteSamples(
      db,
      kept.map((s) => s.id),
    );
    expect(await listSampleIdsOfClass(db, 'rock')).toEqual([]);
    await putSamples(
      db,
      before.filter((s) => s !== undefined),
    );
    const after = await listSamplesOfClass(db, 'rock');
    expect(after.map(({ image: _i, thumb: _t, ...rest }) => rest)).toEqual(kept.map(({ image: _i, thumb: _t, ...rest }) => rest));
    expect(after.map((s) => s.image.size)).toEqual([3, 3]);
  });

  it('a version-1 database gains the index and keeps its photos', async () => {
    const name = `kiln-gallery-${++n}`;
    const v1 = await openDB(name, 1, {
      upgrade(database) {
        const samples = database.createObjectStore('samples', { keyPath: 'id' });
        samples.createIndex('byProject', 'projectId');
        samples.createIndex('byClass', 'classId');
        samples.createIndex('byProjectHash', ['projectId', 'hash']);
        for (const store of ['projects', 'embeddings', 'backbones', 'prefs']) database.createObjectStore(store);
        for (const store of ['classes', 'runs', 'checkpoints'])
          database.createObjectStore(store).createIndex('byProject', 'projectId');
      },
    });
    const old = sample('p', 'rock', { addedAt: 5 });
    await v1.put('samples', old);
    v1.close();
    db = await openKilnDB({ name });
    expect(await listSampleIdsOfClass(db, 'rock')).toEqual([old.id]);
  });
});
