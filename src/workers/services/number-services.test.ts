/**
 * "Predict a number" through the services a page calls: making the project, giving photos values (typed or from a
 * CSV), and the refusals a person sees when a value or a quantity cannot be used.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Quantity } from '../../ml/regression';
import { listClasses } from '../../storage/classes';
import { openKilnDB, type KilnDB } from '../../storage/db';
import { getProject } from '../../storage/projects';
import { addSamples, getSample } from '../../storage/samples';
import { sample } from '../../test-support/records';
import type { Job } from '../jobs';
import type { Predictor } from '../predictor';
import type { StudioDeps } from './deps';
import { photosService } from './photos';
import { projectsService } from './projects';

let dbCount = 0;
const open: KilnDB[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

const job: Job = { isCancelled: () => false, progress: () => undefined, changed: () => undefined };
const ripeness: Quantity = { name: 'ripeness', unit: '', min: 0, max: 10 };

async function setup() {
  const db = await openKilnDB({ name: `number-services-${++dbCount}` });
  open.push(db);
  const deps: StudioDeps = {
    db: () => Promise.resolve(db),
    engine: () => Promise.reject(new Error('no engine in this test')),
    predictor: () => Promise.resolve({ forget: () => undefined } as unknown as Predictor),
  };
  return { db, deps, projects: projectsService(deps), photos: photosService(deps) };
}

describe('a "Predict a number" project', () => {
  it('is made with its quantity and one record for its photos; a bad quantity is refused saying what to fix', async () => {
    const { db, projects } = await setup();
    const p = await projects.createProject({ name: 'Bananas', quantity: { ...ripeness, name: '  ripeness ' } }, job);
    expect((await getProject(db, p.id))!.quantity).toEqual(ripeness);
    expect((await listClasses(db, p.id)).map((c) => c.name)).toEqual(['ripeness']);
    await expect(projects.createProject({ name: 'x', quantity: { ...ripeness, name: ' ' } }, job)).rejects.toThrow(
      'Name what the model predicts',
    );
    await expect(projects.createProject({ name: 'x', quantity: { ...ripeness, min: 10, max: 0 } }, job)).rejects.toThrow(
      'smallest first',
    );
    const classes = await projects.createProject({ name: 'Hands' }, job);
    expect((await getProject(db, classes.id))!.quantity).toBeUndefined();
    expect(await listClasses(db, classes.id)).toEqual([]);
  });

  it('gives photos a value or takes it away, and refuses one outside the range', async () => {
    const { db, projects, photos } = await setup();
    const p = await projects.createProject({ name: 'Bananas', quantity: ripeness }, job);
    const [holder] = await listClasses(db, p.id);
    const photo = sample(p.id, holder!.id);
    await addSamples(db, [photo]);
    await photos.setValues({ projectId: p.id, ids: [photo.id], value: 7.5 }, job);
    expect((await getSample(db, photo.id))!.value).toBe(7.5);
    await expect(photos.setValues({ projectId: p.id, ids: [photo.id], value: 11 }, job)).rejects.toThrow(
      '11 is outside the range of ripeness, 0 to 10.',
    );
    expect((await getSample(db, photo.id))!.value).toBe(7.5);
    await photos.setValues({ projectId: p.id, ids: [photo.id], value: null }, job);
    expect((await getSample(db, photo.id))!.value).toBeUndefined();
  });

  it('takes values from a CSV by file name, reporting rows it refused and rows naming no photo', async () => {
    const { db, projects, photos } = await setup();
    const p = await projects.createProject({ name: 'Bananas', quantity: ripeness }, job);
    const [holder] = await listClasses(db, p.id);
    const a = sample(p.id, holder!.id, { name: 'Banana-1.JPG' });
    const b = sample(p.id, holder!.id, { name: 'banana-2.jpg' });
    await addSamples(db, [a, b]);
    const report = await photos.applyValueCsv(
      { projectId: p.id, text: 'file,value\nbananas/banana-1.jpg,3\nbanana-2.jpg,12\nbanana-9.jpg,4\n' },
      job,
    );
    expect(report.applied).toBe(1);
    expect(report.refused).toMatchObject([{ row: 3, name: 'banana-2.jpg', problem: 'value.outOfRange' }]);
    expect(report.unmatched).toEqual([{ row: 4, name: 'banana-9.jpg' }]);
    expect((await getSample(db, a.id))!.value).toBe(3);
    expect((await getSample(db, b.id))!.value).toBeUndefined();
  });

  it('is the only kind whose photos take values', async () => {
    const { projects, photos } = await setup();
    const p = await projects.createProject({ name: 'Hands' }, job);
    await expect(photos.setValues({ projectId: p.id, ids: [], value: 1 }, job)).rejects.toThrow('tells classes apart');
    await expect(photos.applyValueCsv({ projectId: p.id, text: 'a.jpg,1' }, job)).rejects.toThrow('tells classes apart');
  });
});
