import { afterEach, describe, expect, it } from 'vitest';
import type { Quantity } from '../ml/regression';
import { readZip } from '../shared/zip';
import { openKilnDB, type KilnDB } from '../storage/db';
import { putProjectBundle } from '../storage/projects';
import { klass, project, sample } from '../test-support/records';
import { exportDataset } from './dataset-export';

const open: KilnDB[] = [];
let n = 0;
afterEach(() => open.splice(0).forEach((db) => db.close()));
const jpeg = (byte: number) => new Blob([new Uint8Array([0xff, 0xd8, byte])], { type: 'image/jpeg' });
const ripeness: Quantity = { name: 'ripeness', unit: '', min: 0, max: 10 };

describe('the dataset export of a "Predict a number" project', () => {
  it('holds the photos with a value, values.csv naming each, and train.py for numbers', async () => {
    const db = await openKilnDB({ name: `dataset-export-${++n}` });
    open.push(db);
    const p = { ...project({ name: 'Bananas' }), quantity: ripeness };
    const holder = klass(p.id, 0, { name: 'ripeness' });
    const photos = [
      sample(p.id, holder.id, { image: jpeg(1), value: 2.5, addedAt: 1 }),
      sample(p.id, holder.id, { image: jpeg(2), addedAt: 2 }),
      sample(p.id, holder.id, { image: jpeg(3), value: 9, addedAt: 3 }),
    ];
    await putProjectBundle(db, { project: p, classes: [holder], samples: photos, runs: [], checkpoints: [] });
    const { fileName, bytes } = await exportDataset(db, p.id);
    expect(fileName).toBe('Bananas-dataset.zip');
    const files = readZip(bytes, 'projectFile');
    const csv = new TextDecoder().decode(files.get('Bananas/data/values.csv'));
    const rows = csv.trim().split('\n');
    expect(rows[0]).toBe('file,value');
    expect(rows.slice(1).map((r) => r.split(',')[1]).sort()).toEqual(['2.5', '9']);
    // Each row names a photo in data/photos/, and the photo without a value is left out.
    for (const row of rows.slice(1)) expect(files.has(`Bananas/data/photos/${row.split(',')[0]}`)).toBe(true);
    expect([...files.keys()].filter((k) => k.startsWith('Bananas/data/photos/'))).toHaveLength(2);
    const script = new TextDecoder().decode(files.get('Bananas/train.py'));
    expect(script).toContain('QUANTITY = {"name": "ripeness", "unit": "", "min": 0.0, "max": 10.0}');
  });
});
