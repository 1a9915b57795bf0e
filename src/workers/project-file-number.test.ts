import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Quantity } from '../ml/regression';
import { listClasses } from '../storage/classes';
import { openKilnDB, type KilnDB } from '../storage/db';
import { getProject, putProjectBundle } from '../storage/projects';
import { listRuns } from '../storage/runs';
import { listSamplesOfProject } from '../storage/samples';
import { readZip, writeZip } from '../shared/zip';
import { klass, project, run, sample } from '../test-support/records';
import { exportProjectFile, importProjectFile } from './project-file';

// A "Predict a number" project's file keeps what it predicts, each photo's value and its runs' scores; a file of
// a classification project (or from before numbers existed) still opens as classification.
const DATA = new URL('../../../shared/datasets/hymenoptera/train/', import.meta.url);
const jpeg = () => new Blob([new Uint8Array(readFileSync(new URL('ants/formica.jpeg', DATA)))], { type: 'image/jpeg' });
const ripeness: Quantity = { name: 'ripeness', unit: '', min: 0, max: 10 };

let n = 0;
const open: KilnDB[] = [];
async function freshDb(): Promise<KilnDB> {
  const db = await openKilnDB({ name: `project-file-number-${++n}` });
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

async function numberProject(db: KilnDB) {
  const p = { ...project({ name: 'Bananas' }), quantity: ripeness };
  const holder = klass(p.id, 0, { name: 'ripeness' });
  const photos = [3, 7.5, undefined].map((value, i) =>
    sample(p.id, holder.id, { name: `banana-${i}.jpg`, image: jpeg(), thumb: jpeg(), ...(value === undefined ? {} : { value }) }),
  );
  const trained = run(p.id, {
    quantity: ripeness,
    trainMean: 5,
    classes: [{ id: holder.id, name: 'ripeness', count: 2 }],
    split: { train: [photos[0]!.id], validation: [photos[1]!.id] },
    metrics: {
      trainCount: 1,
      validationCount: 1,
      validationAccuracy: null,
      confusion: [],
      regression: { count: 1, mse: 0.25, rmse: 0.5, mae: 0.5, r2: null, baselineRmse: 2.5 },
    },
    validationPredictions: { sampleIds: [photos[1]!.id], truth: [7.5], probabilities: [7] },
  });
  await putProjectBundle(db, { project: p, classes: [holder], samples: photos, runs: [trained], checkpoints: [] });
  return p;
}

describe('a "Predict a number" project file', () => {
  it('keeps the quantity, every value, and its runs’ values and scores', async () => {
    const source = await freshDb();
    const p = await numberProject(source);
    const { bytes } = await exportProjectFile(source, p.id);
    const target = await freshDb();
    const imported = (await importProjectFile(target, bytes)).project;
    expect((await getProject(target, imported.id))!.quantity).toEqual(ripeness);
    expect(await listClasses(target, imported.id)).toHaveLength(1);
    const values = (await listSamplesOfProject(target, imported.id)).map((s) => [s.name, s.value]).sort();
    expect(values).toEqual([
      ['banana-0.jpg', 3],
      ['banana-1.jpg', 7.5],
      ['banana-2.jpg', undefined],
    ]);
    const [trained] = await listRuns(target, imported.id);
    expect(trained!.quantity).toEqual(ripeness);
    expect(trained!.metrics.regression).toMatchObject({ rmse: 0.5, baselineRmse: 2.5 });
    expect(trained!.validationPredictions).toMatchObject({ truth: [7.5], probabilities: [7] });
  });

  it('drops a value outside the range (the photo is then without one), and opens older files as classification', async () => {
    const source = await freshDb();
    const p = await numberProject(source);
    const { bytes } = await exportProjectFile(source, p.id);
    const entries = readZip(bytes, 'projectFile');
    const manifest = JSON.parse(new TextDecoder().decode(entries.get('manifest.json'))) as {
      project: Record<string, unknown>;
      samples: { value?: number }[];
      runs: Record<string, unknown>[];
    };
    manifest.samples[0]!.value = 42;
    const edited = writeZip(new Map([...entries, ['manifest.json', new TextEncoder().encode(JSON.stringify(manifest))]]));
    const target = await freshDb();
    const withBadValue = (await importProjectFile(target, edited)).project;
    const kept = (await listSamplesOfProject(target, withBadValue.id)).filter((s) => s.value !== undefined);
    expect(kept.map((s) => s.value)).toEqual([7.5]);

    // The same file as one from before numbers: no quantity anywhere, and no values are taken in.
    delete manifest.project.quantity;
    for (const r of manifest.runs) {
      delete r.quantity;
      r.validationPredictions = null;
    }
    const older = writeZip(new Map([...entries, ['manifest.json', new TextEncoder().encode(JSON.stringify(manifest))]]));
    const classification = (await importProjectFile(target, older)).project;
    expect((await getProject(target, classification.id))!.quantity).toBeUndefined();
    expect((await listSamplesOfProject(target, classification.id)).every((s) => s.value === undefined)).toBe(true);
  });
});
