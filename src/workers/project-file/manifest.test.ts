import { describe, expect, it } from 'vitest';
import { readManifest } from './read-manifest';
import { ProjectFileError } from './refusals';

/* eslint-disable @typescript-eslint/no-explicit-any -- the tests break manifests on purpose */

/** A sound version-2 manifest: a running training first (it does not count), then a finished one with its model. */
function manifest(): Record<string, any> {
  return {
    format: 'kiln-project',
    version: 2,
    exportedAt: '2024-01-01T00:00:00.000Z',
    app: 'Kiln 0.1.0',
    project: {
      id: 'p',
      name: ' Bugs ',
      createdAt: 1,
      updatedAt: 2,
      backboneId: 'mobilenet-v2-035',
      cropMode: 'pad',
      settings: { epochs: 3 },
      activeRunId: 'r1',
      continueFromRunId: null,
    },
    classes: [
      { id: 'c1', name: 'Ants', order: 0, createdAt: 1, folder: 'Ants' },
      { id: 'c2', name: 'Bees', order: 1, createdAt: 2, folder: 'Bees' },
    ],
    samples: [
      {
        id: 's1',
        classId: 'c1',
        hash: 'h1',
        name: 'a.jpg',
        source: 'webcam',
        addedAt: 3,
        width: 10,
        height: 20,
        originalWidth: 30,
        originalHeight: 40,
        image: 'photos/Ants/s1.jpg',
        thumb: 'thumbs/s1.jpg',
        testOnly: true,
      },
    ],
    runs: [
      { id: 'r0', status: 'running' },
      {
        id: 'r1',
        status: 'completed',
        createdAt: 5,
        backboneId: 'mobilenet-v2-035',
        split: { train: ['s1'], validation: [] },
        classes: [
          { id: 'c1', name: 'Ants', count: 1 },
          { id: 'c2', name: 'Bees', count: 0 },
        ],
        metrics: { trainCount: 1, validationCount: 0, validationAccuracy: null, confusion: [] },
        curves: [],
        validationPredictions: { sampleIds: ['s1'], truth: [0], probabilities: [0.75, 0.25] },
        data: { classCounts: [1, 0], testCount: 0, sampleSetHash: 'x' },
      },
    ],
    models: [
      {
        runId: 'r1',
        epoch: 1,
        createdAt: 6,
        head: {
          topology: 'models/r1/head.json',
          weights: 'models/r1/head.bin',
          weightSpecs: [{ name: 'dense/kernel', shape: [2, 2], dtype: 'float32' }],
        },
        backbone: { weights: 'models/r1/backbone.bin', layers: [{ layer: 'Conv_1', shapes: [[2]], offsets: [0] }] },
      },
    ],
  };
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** The refusal of `manifest()` changed by `change`. */
function refusal(change: (m: Record<string, any>) => void, base = manifest()): ProjectFileError {
  change(base);
  try {
    readManifest(encode(base));
  } catch (error) {
    expect(error).toBeInstanceOf(ProjectFileError);
    return error as ProjectFileError;
  }
  throw new Error('the manifest was accepted');
}

/** The detail of a "damaged" refusal, checking the whole sentence around it. */
function damage(change: (m: Record<string, any>) => void, base?: Record<string, any>): string {
  const error = refusal(change, base);
  expect(error.key).toBe('projectFile.damaged');
  const detail = String(error.values?.detail);
  expect(error.message).toBe(`The project file is damaged: ${detail}. Export the project from Kiln again.`);
  return detail;
}

describe('the manifest schema', () => {
  it('accepts what Kiln writes, normalising what is optional', () => {
    const checked = readManifest(encode(manifest()));
    if (checked.version !== 2) throw new Error('not version 2');
    expect(checked.project).toMatchObject({ name: ' Bugs ', cropMode: 'pad', activeRunId: 'r1' });
    expect(checked.classes.map((c) => c.name)).toEqual(['Ants', 'Bees']);
    expect(checked.runs.map((r) => r.id)).toEqual(['r1']); // the running one is left out
    expect(checked.runs[0]).toMatchObject({
      backend: 'cpu',
      earlyStopped: false,
      embeddings: { computed: 0, reused: 0 },
      data: { classCounts: [1, 0], testCount: 0, sampleSetHash: 'x' }, // unknown fields are kept
    });
    expect('cropMode' in checked.runs[0]!).toBe(false); // a run from before the field stays without it
    expect(checked.samples[0]).toMatchObject({ source: 'webcam', testOnly: true, width: 10 });
  });

  it('reads a photo or class date no calendar can show as missing (the time of the import is used)', () => {
    const m = manifest();
    m.samples[0].addedAt = 1e308;
    m.classes[0].createdAt = -5;
    const checked = readManifest(encode(m)) as any;
    expect(checked.samples[0].addedAt).toBeUndefined();
    expect(checked.classes[0].createdAt).toBeUndefined();
  });

  it('reads unusable optional fields as missing', () => {
    const m = manifest();
    Object.assign(m.samples[0], { width: -5, height: 2.6, source: 'scanner', addedAt: 'yesterday', name: '' });
    m.project.cropMode = null;
    m.runs[1].cropMode = null;
    const checked = readManifest(encode(m));
    if (checked.version !== 2) throw new Error('not version 2');
    expect(checked.samples[0]).toMatchObject({ width: 0, height: 3, source: 'file', addedAt: undefined, name: undefined });
    expect(checked.project.cropMode).toBe('center');
    expect(checked.runs[0]!.cropMode).toBe('center');
  });

  it('refuses a field of the wrong type, naming it', () => {
    expect(damage((m) => (m.classes[1].name = 42))).toBe('the name of class 2 is missing or not text');
    expect(damage((m) => (m.project = ['Bugs']))).toBe('the project is missing or not an object');
    expect(damage((m) => (m.classes[0] = []))).toBe('class 1 is missing or not an object');
    expect(damage((m) => (m.samples = {}))).toBe('the list of photos is missing or not a list');
    expect(damage((m) => (m.samples[0].id = 7))).toBe('the id of photo "a.jpg" is missing or not text');
    expect(damage((m) => (m.runs[1].createdAt = '5'))).toBe('the date of training 1 is missing or not a number');
    expect(damage((m) => (m.runs[1].split.validation = [1]))).toBe('the validation photos of training 1 are not photo ids');
    expect(damage((m) => (m.runs[1].validationPredictions.truth = ['x']))).toBe(
      "the validation answers of training 1 do not fit the training's photos and classes",
    );
    expect(damage((m) => (m.models[0].head.weightSpecs[0].dtype = 'float64'))).toBe(
      'weight "dense/kernel" of the model of training 1 has an unknown type (float64)',
    );
  });

  it('refuses a missing field, naming it', () => {
    expect(damage((m) => delete m.classes)).toBe('the list of classes is missing or not a list');
    expect(damage((m) => delete m.classes[0].id)).toBe('the id of class "Ants" is missing or not text');
    expect(damage((m) => delete m.samples[0].thumb)).toBe('the file name of the thumbnail of "a.jpg" is missing or not text');
    expect(damage((m) => delete m.runs[1].status)).toBe('training 1 has an unknown status');
    expect(damage((m) => delete m.runs[1].classes[1].id)).toBe('the id of class 2 of training 1 is missing or not text');
    expect(damage((m) => delete m.models[0].head)).toBe('the head of the model of training 1 is missing or not an object');
    expect(damage((m) => delete m.models[0].backbone.layers[0].offsets)).toBe(
      'the offsets of layer "Conv_1" is missing or not a list',
    );
  });

  it('refuses numbers out of range', () => {
    expect(damage((m) => (m.runs[1].createdAt = 1e308))).toBe('the date of training 1 is not a date');
    expect(damage((m) => (m.runs[1].validationPredictions.probabilities = [1e308, 0]))).toBe(
      "the validation answers of training 1 do not fit the training's photos and classes",
    );
    expect(damage((m) => (m.models[0].head.weightSpecs[0].shape = [2, -1]))).toBe(
      'the shape of weight "dense/kernel" of the model of training 1 is not a shape',
    );
    expect(damage((m) => (m.models[0].backbone.layers[0].shapes = [[1.5]]))).toBe('a shape of layer "Conv_1" is not a shape');
    expect(damage((m) => (m.runs[1].validationPredictions.truth = [-1]))).toBe(
      "the validation answers of training 1 do not fit the training's photos and classes",
    );
    expect(damage((m) => m.models[0].backbone.layers[0].offsets.push(8))).toBe(
      'layer "Conv_1" of the fine-tuned layers of the model of training 1 has 1 shapes but 2 offsets',
    );
    expect(damage((m) => (m.classes[1].name = ' \t '))).toBe('the name of class 2 is empty');

    const newer = refusal((m) => {
      m.version = 3;
      delete m.app; // a file that does not say which Kiln made it
    });
    expect([newer.key, newer.values]).toEqual(['projectFile.newerVersion', { version: 3 }]);
    const named = refusal((m) => Object.assign(m, { version: 3, app: 'Kiln 0.4.2' }));
    expect(named.message).toBe(
      'The project file was made by Kiln 0.4.2, a newer Kiln than this one (format version 3). Update Kiln (reload the page when online) and try again.',
    );
    const unknown = refusal((m) => (m.version = 1.5));
    expect([unknown.key, unknown.values]).toEqual(['projectFile.unknownVersion', { version: '1.5' }]);
  });

  it('refuses a crop mode it does not know, for the project or a training', () => {
    const project = refusal((m) => (m.project.cropMode = 'stretch'));
    expect([project.key, project.values]).toEqual(['projectFile.unknownCropMode', { mode: 'stretch', whose: 'for the project' }]);
    const run = refusal((m) => (m.runs[1].cropMode = 42));
    expect(run.values).toEqual({ mode: '42', whose: 'for training 1' });
    expect(run.message).toBe(
      'The project file asks for the crop mode "42" (for training 1), which this version of Kiln does not know. Reload Kiln to update it, then import the file again.',
    );
  });

  it('refuses what is not a Kiln manifest', () => {
    expect(refusal((m) => (m.format = 'other')).key).toBe('projectFile.notKiln');
    const notJson = (() => {
      try {
        readManifest(new TextEncoder().encode('{"format":'));
      } catch (error) {
        return error as ProjectFileError;
      }
    })();
    expect(notJson?.values).toEqual({ detail: 'its manifest.json is not valid JSON' });
  });

  it('checks version 1 manifests with the same words', () => {
    const v1 = () => ({
      format: 'kiln-project',
      version: 1,
      project: { name: 'Old' },
      classes: [{ name: 'Ants', folder: 'Ants' }],
      photos: [{ class: 'Ants', file: 'photos/Ants/a.jpg', name: 'a.jpg' }],
    });
    expect(readManifest(encode(v1()))).toMatchObject({ version: 1, photos: [{ width: 0, source: 'file' }] });
    expect(damage((m) => delete m.classes[0].folder, v1())).toBe('the folder of class "Ants" is missing or not text');
    expect(damage((m) => (m.photos[0].file = ''), v1())).toBe('the file name of photo 1 is missing or not text');
    expect(damage((m) => (m.photos = null), v1())).toBe('the list of photos is missing or not a list');
  });
});
