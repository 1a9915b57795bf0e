import { afterEach, describe, expect, it } from 'vitest';
import { klass, project, sample } from '../test-support/records';
import { openKilnDB, type KilnDB } from '../storage/db';
import { putProjectBundle } from '../storage/projects';
import { exportProjectFile, importProjectFile } from './project-file';

const open: KilnDB[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/**
 * Kiln reopens what it writes, at the size people reach: a project of 30,000 photos (small generated images) goes
 * out as one project file and comes back whole. (25,001 photos once made a file Kiln then refused: two entries a
 * photo passed the 50,000-entry limit.)
 */
describe('a large project file', () => {
  it('round-trips 30,000 photos', { timeout: 300_000 }, async () => {
    const source = await openKilnDB({ name: 'large-source' });
    const target = await openKilnDB({ name: 'large-target' });
    open.push(source, target);
    const p = project({ name: 'Big survey' });
    const classes = [klass(p.id, 0, { name: 'wet' }), klass(p.id, 1, { name: 'dry' })];
    const samples = Array.from({ length: 30_000 }, (_, i) => {
      // A few distinct bytes a photo, as a generated image would differ.
      const image = new Uint8Array([0xff, 0xd8, 0xff, i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, 0xff, 0xd9]);
      return sample(p.id, classes[i % 2]!.id, {
        name: `survey-${i}.jpg`,
        image: new Blob([image], { type: 'image/jpeg' }),
        thumb: new Blob([image.slice(0, 4)], { type: 'image/jpeg' }),
      });
    });
    await putProjectBundle(source, { project: p, classes, samples, runs: [], checkpoints: [] });

    const { bytes } = await exportProjectFile(source, p.id);
    const report = await importProjectFile(target, bytes);
    expect(report.classes.map((c) => [c.name, c.report.added, c.report.refused.length])).toEqual([
      ['wet', 15_000, 0],
      ['dry', 15_000, 0],
    ]);
    expect(await target.count('samples')).toBe(30_000);
  });
});
