import { afterEach, describe, expect, it } from 'vitest';
import { loadBackbone } from '../ml/backbone';
import { DEFAULT_BACKBONE, MOBILENET_V3_SMALL } from '../ml/backbone-catalogue';
import { sharedModel } from '../test-support/shared-models';
import type { BackboneRecord } from '../api/types';
import { readZip, writeZip } from '../shared/zip';
import { setLanguage } from '../ui/i18n/i18n';
import { errorText } from '../ui/i18n/messages';
import { klass, project, sample } from '../test-support/records';
import { putCachedBackbone } from '../storage/backbones';
import { openKilnDB, type KilnDB } from '../storage/db';
import { listProjects, putProjectBundle } from '../storage/projects';
import { checkTopology, PACK_BACKBONE_LIMIT, PackError, type PackBackbone } from './classroom-pack';
import { exportProjectFile, importProjectFile, ProjectFileError } from './project-file';

let n = 0;
const open: KilnDB[] = [];
async function freshDb(): Promise<KilnDB> {
  const db = await openKilnDB({ name: `classroom-pack-test-${++n}` });
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  setLanguage('en');
});

/** A tiny stand-in for the cut extractor: the layers the topology check looks at, and 4 float32 weights. */
function topology(cutLayer = 'out_relu', size = 224) {
  return {
    class_name: 'Model',
    config: {
      name: 'features',
      layers: [
        { class_name: 'InputLayer', name: 'input_1', config: { name: 'input_1', batch_input_shape: [null, size, size, 3] } },
        { class_name: 'ReLU', name: cutLayer, config: { name: cutLayer } },
      ],
    },
  };
}
const WEIGHTS = new Float32Array([0.5, -1, 2, 0.25]);

function backboneRecord(): BackboneRecord {
  return {
    id: DEFAULT_BACKBONE.id,
    sha256: 'stored-checksum',
    source: 'bundled',
    savedAt: 1,
    model: {
      modelTopology: topology(),
      weightSpecs: [{ name: 'w', shape: [4], dtype: 'float32' }],
      weightData: WEIGHTS.slice().buffer,
    },
  };
}

/** A project with one class and one photo, and (unless `withBackbone` is false) its backbone on this device. */
async function deviceWithProject(withBackbone = true): Promise<{ db: KilnDB; projectId: string }> {
  const db = await freshDb();
  const p = project({ name: 'Rock paper scissors' });
  const rock = klass(p.id, 0, { name: 'rock' });
  const photo = sample(p.id, rock.id, { image: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }) });
  await putProjectBundle(db, { project: p, classes: [rock], samples: [photo], runs: [], checkpoints: [] });
  if (withBackbone) await putCachedBackbone(db, backboneRecord());
  return { db, projectId: p.id };
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A good pack, changed: `change` edits the manifest and the file map before they are zipped again. */
async function alteredPack(
  change: (manifest: Record<string, any>, files: Map<string, Uint8Array>) => void, // eslint-disable-line @typescript-eslint/no-explicit-any
): Promise<Uint8Array> {
  const { db, projectId } = await deviceWithProject();
  const files = readZip((await exportProjectFile(db, projectId, { withBackbone: true })).bytes, 'projectFile');
  const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as Record<string, unknown>;
  change(manifest, files);
  files.set('manifest.json', encode(manifest));
  return writeZip(files);
}

/** Imports into a fresh device and expects a refusal matching `message`, with nothing stored and no backbone handed on. */
async function expectRefused(bytes: Uint8Array, message: RegExp): Promise<void> {
  const db = await freshDb();
  const installed: PackBackbone[] = [];
  const error = await importProjectFile(db, bytes, { installBackbone: async (b) => void installed.push(b) }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProjectFileError);
  expect((error as Error).message).toMatch(/^The classroom pack is (damaged|incomplete)|^The classroom pack's image model is/);
  expect((error as Error).message).toMatch(message);
  expect(installed).toEqual([]);
  expect(await listProjects(db)).toEqual([]);
}

describe('the classroom pack', () => {
  it('carries the backbone as model.json + weights.bin with size and hash, and hands it over on import', async () => {
    const { db, projectId } = await deviceWithProject();
    const pack = await exportProjectFile(db, projectId, { withBackbone: true });
    expect(pack.fileName).toBe('Rock-paper-scissors-classroom.kiln.zip');
    const files = readZip(pack.bytes, 'projectFile');
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')));
    expect(manifest.version).toBe(2);
    expect(manifest.backbone).toMatchObject({
      id: DEFAULT_BACKBONE.id,
      bytes: 16,
      model: 'backbone/model.json',
      weights: 'backbone/weights.bin',
    });
    expect(manifest.backbone.sha256).toMatch(/^[0-9a-f]{64}$/);
    const modelJson = JSON.parse(new TextDecoder().decode(files.get('backbone/model.json')));
    expect(modelJson.weightsManifest).toEqual([
      { paths: ['weights.bin'], weights: [{ name: 'w', shape: [4], dtype: 'float32' }] },
    ]);

    const laptop = await freshDb();
    const installed: PackBackbone[] = [];
    const imported = (await importProjectFile(laptop, pack.bytes, { installBackbone: async (b) => void installed.push(b) }))
      .project;
    expect(imported.name).toBe('Rock paper scissors');
    expect(installed).toHaveLength(1);
    expect(installed[0]!.spec).toBe(DEFAULT_BACKBONE);
    expect(new Float32Array(installed[0]!.files.weightData)).toEqual(WEIGHTS);
    expect(installed[0]!.files.modelTopology).toEqual(topology());
  });

  it('a plain project file carries no backbone and hands none over', async () => {
    const { db, projectId } = await deviceWithProject();
    const plain = await exportProjectFile(db, projectId);
    const files = readZip(plain.bytes, 'projectFile');
    expect([...files.keys()].some((name) => name.startsWith('backbone/'))).toBe(false);
    let called = false;
    await importProjectFile(await freshDb(), plain.bytes, { installBackbone: async () => void (called = true) });
    expect(called).toBe(false);
  });

  it('cannot be made when the backbone is not on this device, and says what to do', async () => {
    const { db, projectId } = await deviceWithProject(false);
    await expect(exportProjectFile(db, projectId, { withBackbone: true })).rejects.toThrow(
      /not on this device yet.*Train the project once/,
    );
  });

  it('an unaltered re-zip imports (so the refusals below are caused by their change)', async () => {
    const db = await freshDb();
    await importProjectFile(db, await alteredPack(() => undefined));
    expect(await listProjects(db)).toHaveLength(1);
  });

  it('refuses weights that do not match their hash', async () => {
    await expectRefused(
      await alteredPack((_, files) => {
        const weights = files.get('backbone/weights.bin')!.slice();
        weights[0]! ^= 0xff;
        files.set('backbone/weights.bin', weights);
      }),
      /do not match their checksum/,
    );
  });

  it('refuses a pack whose weights or model.json are missing', async () => {
    await expectRefused(
      await alteredPack((_, files) => void files.delete('backbone/weights.bin')),
      /incomplete: the weights of its image model \("backbone\/weights.bin"\) is missing/,
    );
    await expectRefused(await alteredPack((_, files) => void files.delete('backbone/model.json')), /model.json/);
  });

  it('refuses weights whose size differs from the declared size or from model.json', async () => {
    await expectRefused(
      await alteredPack((manifest) => void (manifest.backbone.bytes = 20)),
      /weights are 16 bytes, but the pack says 20/,
    );
    await expectRefused(
      await alteredPack((_, files) => {
        const json = JSON.parse(new TextDecoder().decode(files.get('backbone/model.json')));
        json.weightsManifest[0].weights[0].shape = [8];
        files.set('backbone/model.json', encode(json));
      }),
      /describes 32 bytes of weights, but weights.bin holds 16/,
    );
  });

  it('refuses a model whose topology is not the declared backbone', async () => {
    const withTopology = (t: object) =>
      alteredPack((_, files) => {
        const json = JSON.parse(new TextDecoder().decode(files.get('backbone/model.json')));
        json.modelTopology = t;
        files.set('backbone/model.json', encode(json));
      });
    await expectRefused(await withTopology(topology('conv_pw_13_relu')), /has no "out_relu" layer/);
    await expectRefused(await withTopology(topology('out_relu', 96)), /takes 96 × 96 × 3, not 224 × 224 × 3/);
  });

  it('refuses a backbone other than the one its project uses, or one it does not describe', async () => {
    await expectRefused(
      await alteredPack((manifest) => void (manifest.backbone.id = 'mobilenet-v1-0.25-224')),
      /carries the image model "mobilenet-v1-0.25-224", but its project uses "mobilenet-v2-0.35-224"/,
    );
    await expectRefused(
      await alteredPack((manifest) => {
        manifest.backbone.id = 'custom-abc';
        manifest.project.backboneId = 'custom-abc';
      }),
      /"custom-abc" is not one Kiln knows, and the pack does not describe it/,
    );
  });

  it('refuses a backbone that is too big before reading its weights', async () => {
    await expectRefused(
      await alteredPack((manifest) => void (manifest.backbone.bytes = PACK_BACKBONE_LIMIT + 1)),
      /image model is 64\.0 MB, more than Kiln accepts \(64\.0 MB\)/,
    );
  });

  it('sends the sizes as byte counts, written in the page’s language', async () => {
    const db = await freshDb();
    const pack = await alteredPack((manifest) => void (manifest.backbone.bytes = PACK_BACKBONE_LIMIT * 1.5));
    const error = await importProjectFile(db, pack, { installBackbone: async () => undefined }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ values: { size: PACK_BACKBONE_LIMIT * 1.5, limit: PACK_BACKBONE_LIMIT } });
    setLanguage('es');
    expect(errorText(error)).toMatch(/ocupa 96,0 MB, más de lo que acepta Kiln \(64,0 MB\)/);
    setLanguage('en');
    expect(errorText(error)).toBe((error as Error).message);
  });

  it('stores nothing when the device refuses the backbone', async () => {
    const db = await freshDb();
    const pack = await alteredPack(() => undefined);
    await expect(
      importProjectFile(db, pack, {
        installBackbone: async () => {
          throw new ProjectFileError('pack.backboneUnusable', 'The classroom pack’s image model cannot be used.');
        },
      }),
    ).rejects.toThrow(/cannot be used/);
    expect(await listProjects(db)).toEqual([]);
  });
});

describe('checkTopology', () => {
  it('accepts the layers of the real cut extractor and of a Teachable Machine export (nested models)', () => {
    const nested = {
      class_name: 'Sequential',
      config: { layers: [{ class_name: 'Sequential', config: { layers: [topology()] } }] },
    };
    expect(() => checkTopology(nested, DEFAULT_BACKBONE)).not.toThrow();
  });

  it('accepts the serialized MobileNetV3-Small extractor as that model, and not as the default', async () => {
    const v3 = await loadBackbone(MOBILENET_V3_SMALL, await sharedModel('mobilenet-v3-small-1.0-224-no-top'));
    const saved = await v3.serialize();
    v3.dispose();
    expect(() => checkTopology(saved.modelTopology, MOBILENET_V3_SMALL)).not.toThrow();
    expect(() => checkTopology(saved.modelTopology, DEFAULT_BACKBONE)).toThrow(/has no "out_relu" layer/);
  });

  it('refuses a topology without layers', () => {
    expect(() => checkTopology({}, DEFAULT_BACKBONE)).toThrow(PackError);
  });
});
