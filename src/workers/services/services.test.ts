/**
 * Services built with fake dependencies: a fresh fake-indexeddb database, and a predictor that
 * records what it was told to forget. Each test checks what a person would see (a refusal, a stored
 * change) and the changes the page is told about.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../../api/changes';
import { DEFAULT_SETTINGS } from '../../api/settings';
import { openKilnDB, type KilnDB } from '../../storage/db';
import { putClass } from '../../storage/classes';
import { getProject, putProject } from '../../storage/projects';
import { putCachedBackbone } from '../../storage/backbones';
import { putRunProgress } from '../../storage/runs';
import { addSamples, getSample } from '../../storage/samples';
import { checkpoint, klass, project, run, sample } from '../../test-support/records';
import type { Job } from '../jobs';
import type { Predictor } from '../predictor';
import type { Runtime } from '../runtime';
import type { SerializedModel } from '../../api/types';
import { engineService } from './engine';
import type { StudioDeps } from './deps';
import { evaluationService } from './evaluation';
import { galleryService } from './gallery';
import { photosService } from './photos';
import { trainingService } from './training';

let dbCount = 0;
const open: KilnDB[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

async function setup() {
  const db = await openKilnDB({ name: `services-test-${++dbCount}` });
  open.push(db);
  const forgotten: string[] = [];
  const deps: StudioDeps = {
    db: () => Promise.resolve(db),
    engine: () => Promise.reject(new Error('no engine in this test')),
    predictor: () => Promise.resolve({ forget: (id: string) => forgotten.push(id) } as unknown as Predictor),
  };
  const p = project();
  const [ants, bees] = [klass(p.id, 0, { name: 'ants' }), klass(p.id, 1, { name: 'bees' })];
  await putProject(db, p);
  await putClass(db, ants);
  await putClass(db, bees);
  return { db, deps, forgotten, p, ants, bees };
}

/** A job that records the changes a service reports. */
function recordingJob(): Job & { changes: Change[] } {
  const changes: Change[] = [];
  return {
    changes,
    isCancelled: () => false,
    progress: () => undefined,
    changed: (scope, projectId = null) => void changes.push({ scope, projectId }),
  };
}

describe('photos service', () => {
  it('moves photos to a class of the same project only, and says the photos changed', async () => {
    const { db, deps, p, ants, bees } = await setup();
    const photo = sample(p.id, ants.id);
    await addSamples(db, [photo]);
    const service = photosService(deps);
    const job = recordingJob();
    await service.moveSamples({ projectId: p.id, ids: [photo.id], classId: bees.id }, job);
    expect((await getSample(db, photo.id))?.classId).toBe(bees.id);
    expect(job.changes).toEqual([{ scope: 'photos', projectId: p.id }]);

    const other = klass('another-project', 0);
    await putClass(db, other);
    await expect(
      service.moveSamples({ projectId: p.id, ids: [photo.id], classId: other.id }, recordingJob()),
    ).rejects.toMatchObject({
      key: 'class.goneThat',
    });
  });

  it('marks photos as test only and back', async () => {
    const { db, deps, p, ants } = await setup();
    const photo = sample(p.id, ants.id);
    await addSamples(db, [photo]);
    const service = photosService(deps);
    await service.setTestOnly({ projectId: p.id, ids: [photo.id], testOnly: true }, recordingJob());
    expect((await getSample(db, photo.id))?.testOnly).toBe(true);
    await service.setTestOnly({ projectId: p.id, ids: [photo.id], testOnly: false }, recordingJob());
    expect((await getSample(db, photo.id))?.testOnly).toBeUndefined();
  });
});

describe('gallery service', () => {
  it('will not put photos back into a class deleted since', async () => {
    const { deps, p } = await setup();
    const orphan = sample(p.id, 'a-deleted-class');
    const job = recordingJob();
    await expect(galleryService(deps).restoreSamples({ projectId: p.id, samples: [orphan] }, job)).rejects.toMatchObject({
      key: 'gallery.classDeleted',
    });
    expect(job.changes).toEqual([]);
  });
});

describe('training service', () => {
  it('stores settings clamped to their ranges, and refuses an unknown crop mode', async () => {
    const { db, deps, p } = await setup();
    const service = trainingService(deps);
    const job = recordingJob();
    const saved = await service.saveSettings({ projectId: p.id, settings: { ...DEFAULT_SETTINGS, epochs: 100_000 } }, job);
    expect(saved.epochs).toBeLessThan(100_000);
    expect((await getProject(db, p.id))?.settings?.epochs).toBe(saved.epochs);
    expect(job.changes).toEqual([{ scope: 'project', projectId: p.id }]);
    await expect(service.setCropMode({ projectId: p.id, cropMode: 'stretch' as never }, recordingJob())).rejects.toMatchObject({
      key: 'cropMode.unknown',
    });
    await service.setCropMode({ projectId: p.id, cropMode: 'pad' }, recordingJob());
    expect((await getProject(db, p.id))?.cropMode).toBe('pad');
  });

  it('discards an interrupted run, and leaves a finished one alone', async () => {
    const { db, deps, p } = await setup();
    const interrupted = run(p.id, { status: 'running' });
    const finished = run(p.id);
    await putRunProgress(db, interrupted);
    await putRunProgress(db, finished);
    const service = trainingService(deps);
    const job = recordingJob();
    await service.discardRun({ runId: interrupted.id }, job);
    await service.discardRun({ runId: finished.id }, recordingJob());
    expect(await db.get('runs', interrupted.id)).toBeUndefined();
    expect(await db.get('runs', finished.id)).toBeDefined();
    expect(job.changes).toEqual([{ scope: 'runs', projectId: p.id }]);
  });
});

describe('evaluation service', () => {
  it('makes a finished run active and drops the model in memory; refuses a run still training', async () => {
    const { db, deps, forgotten, p } = await setup();
    const finished = run(p.id);
    const running = run(p.id, { status: 'running' });
    await putRunProgress(db, finished, checkpoint(finished.id, p.id));
    await putRunProgress(db, running, checkpoint(running.id, p.id));
    const service = evaluationService(deps);
    const job = recordingJob();
    const updated = await service.setActiveRun({ projectId: p.id, runId: finished.id }, job);
    expect(updated.activeRunId).toBe(finished.id);
    expect(forgotten).toEqual([p.id]);
    expect(job.changes).toEqual([{ scope: 'project', projectId: p.id }]);
    await expect(service.setActiveRun({ projectId: p.id, runId: running.id }, recordingJob())).rejects.toMatchObject({
      key: 'evaluate.noModel',
    });
    await expect(service.deleteRun({ projectId: p.id, runId: running.id }, recordingJob())).rejects.toMatchObject({
      key: 'evaluate.runStillRunning',
    });
  });
});

describe('engine service', () => {
  it('offers MobileNetV3-Small only where it can be had: brought along by the build, or already on this device', async () => {
    const { db } = await setup();
    const listed = async (bundled: string[]) => {
      const engine = { hasBundled: (id: string) => bundled.includes(id), backboneStatus: { id: 'x', state: 'ready' } };
      const runtime = { db: () => Promise.resolve(db), engine: () => Promise.resolve(engine) } as unknown as Runtime;
      return (await engineService(runtime).listBackbones()).map((c) => c.spec.id);
    };
    const v3 = 'mobilenet-v3-small-1.0-224';
    // It has no public address, so a build without it does not offer it; the MobileNetV2s always are (public bucket).
    expect(await listed([])).not.toContain(v3);
    expect(await listed([])).toContain('mobilenet-v2-1.00-224');
    expect(await listed([v3])).toContain(v3);
    // Kept in IndexedDB after a first use (e.g. from a classroom pack or an earlier build): offered again.
    const model = { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0) } as unknown as SerializedModel;
    await putCachedBackbone(db, { id: v3, sha256: 'ab', source: 'bundled', savedAt: 1, model });
    expect(await listed([])).toContain(v3);
  });
});
