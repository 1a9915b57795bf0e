import { afterEach, describe, expect, it } from 'vitest';
import type { CropMode } from '../api/types';
import { readZip, writeZip } from '../shared/zip';
import { klass, project, run, sample } from '../test-support/records';
import { openKilnDB, type KilnDB } from '../storage/db';
import { putProjectBundle } from '../storage/projects';
import { exportProjectFile, importProjectFile, ProjectFileError } from './project-file';

/** The parts of manifest.json these tests change. */
interface Manifest {
  project: Record<string, unknown>;
  runs: Record<string, unknown>[];
}

let n = 0;
const open: KilnDB[] = [];
async function freshDb(): Promise<KilnDB> {
  const db = await openKilnDB({ name: `project-file-crop-test-${++n}` });
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** A project in `mode` with one finished run (no model needed here) trained in `runMode` (undefined: a run from before the field). */
async function exported(mode: CropMode, runMode: CropMode | undefined): Promise<Uint8Array> {
  const db = await freshDb();
  const p = project({ cropMode: mode });
  const c = klass(p.id, 0);
  const s = sample(p.id, c.id);
  const r = run(p.id, { classes: [{ id: c.id, name: c.name, count: 1 }], split: { train: [s.id], validation: [] } });
  if (runMode) r.cropMode = runMode;
  else delete r.cropMode;
  await putProjectBundle(db, {
    project: p,
    classes: [c],
    samples: [s],
    runs: [r],
    checkpoints: [],
  });
  return (await exportProjectFile(db, p.id)).bytes;
}

function rewrite(bytes: Uint8Array, change: (manifest: Manifest) => void): Uint8Array {
  const files = readZip(bytes, 'projectFile');
  const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as Manifest;
  change(manifest);
  files.set('manifest.json', new TextEncoder().encode(JSON.stringify(manifest)));
  return writeZip(files);
}

describe('the project file and the crop mode', () => {
  it('keeps the project’s mode and each run’s own mode', async () => {
    const target = await freshDb();
    const imported = (await importProjectFile(target, await exported('pad', 'center'))).project;
    expect(imported.cropMode).toBe('pad');
    const [storedRun] = await target.getAll('runs');
    expect(storedRun!.cropMode).toBe('center');

    const again = (await importProjectFile(target, await exported('center', 'pad'))).project;
    expect(again.cropMode).toBe('center');
    const runs = await target.getAllFromIndex('runs', 'byProject', again.id);
    expect(runs[0]!.cropMode).toBe('pad');
  });

  it('reads files from before the choice as centre-cropped', async () => {
    const old = rewrite(await exported('pad', undefined), (manifest) => {
      delete manifest.project.cropMode;
    });
    const target = await freshDb();
    const imported = (await importProjectFile(target, old)).project;
    expect(imported.cropMode).toBe('center');
    const [storedRun] = await target.getAll('runs');
    expect(storedRun!.cropMode ?? 'center').toBe('center');
  });

  it('refuses a mode it does not know, saying what to do, and stores nothing', async () => {
    const target = await freshDb();
    for (const change of [(m: Manifest) => (m.project.cropMode = 'stretch'), (m: Manifest) => (m.runs[0]!.cropMode = 42)]) {
      const error = await importProjectFile(target, rewrite(await exported('pad', 'pad'), change)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProjectFileError);
      expect((error as Error).message).toMatch(/crop mode .* does not know\. Reload Kiln/);
    }
    expect(await target.count('projects')).toBe(0);
  });
});
