import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { sharedModel } from '../test-support/shared-models';
import { featureExtractorFrom } from './backbone';
import { MOBILENET_V2_035, MOBILENET_V3_SMALL } from './backbone-catalogue';
import { createHead } from './head';
import { ModelFilesError } from './model-artifacts';
import { deserializeModel } from './serialize';
import { exportFiles, findHead, parseMetadata, teachableMachineModel } from './tm-format';

const metadataOf = (name: string) =>
  readFileSync(new URL(`../../../shared/models/teachable-machine/${name}/metadata.json`, import.meta.url), 'utf8');

describe('parseMetadata', () => {
  it('reads every shared export; the old 2.2.2 one has no imageSize and gets 224', () => {
    expect(parseMetadata(metadataOf('video-classifier'))).toMatchObject({ labels: ['A', 'B'], imageSize: 224 });
    expect(parseMetadata(metadataOf('handwritten-digits')).labels).toHaveLength(10);
    expect(parseMetadata(metadataOf('hand-gestures'))).toMatchObject({ tmVersion: '2.4.10', imageSize: 224 });
  });

  it('refuses text that is not JSON, and metadata without labels', () => {
    expect(() => parseMetadata('{')).toThrow(/metadata\.json is not valid JSON/);
    expect(() => parseMetadata('{"labels": ["only one"]}')).toThrow(/at least two class labels/);
    expect(() => parseMetadata('{"labels": ["a", "b"], "imageSize": -3}')).toThrow(ModelFilesError);
  });
});

describe('Teachable Machine models', () => {
  it('finds the head of every shared export and checks it against the labels', async () => {
    for (const name of ['nail-biting', 'handwritten-digits']) {
      const model = await deserializeModel(await sharedModel('teachable-machine', name));
      const labels = parseMetadata(metadataOf(name)).labels;
      expect(findHead(model, labels.length).layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dense']);
      expect(() => findHead(model, labels.length + 1)).toThrow(/predicts \d+ classes but metadata\.json names/);
      model.dispose();
    }
  });

  it.each([
    { base: 'MobileNetV2 0.35', files: ['teachable-machine', 'nail-biting'], spec: MOBILENET_V2_035 },
    // MobileNetV3-Small's Rescaling and Multiply layers survive the export too (tf.loadLayersModel reads them).
    { base: 'MobileNetV3-Small', files: ['mobilenet-v3-small-1.0-224-no-top'], spec: MOBILENET_V3_SMALL },
  ])(
    'exports [extractor, head] on $base as one model that Kiln reads back: same head, same outputs',
    async ({ files: from, spec }) => {
      const source = await deserializeModel(await sharedModel(...from));
      const extractor = featureExtractorFrom(source, spec);
      const head = createHead(spec.featureSize, 3, { hiddenUnits: 8, seed: 1 });
      const files = await exportFiles(
        teachableMachineModel(extractor, head),
        { modelName: 'test', labels: ['a', 'b', 'c'], imageSize: 224, userMetadata: {} },
        'float32',
      );
      const json = JSON.parse(files.modelJson) as { weightsManifest: { paths: string[]; weights: never[] }[]; format: string };
      expect(json.format).toBe('layers-model');
      expect(json.weightsManifest).toHaveLength(1);
      expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
      const reloaded = await tfl.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: (JSON.parse(files.modelJson) as { modelTopology: object }).modelTopology,
          weightSpecs: json.weightsManifest[0]!.weights,
          weightData: files.weights.slice().buffer,
        }),
      );
      expect(findHead(reloaded, 3).layers).toHaveLength(2);
      const input = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 7);
      const expected = head.predict(extractor.predict(input) as tf.Tensor) as tf.Tensor;
      const actual = reloaded.predict(input) as tf.Tensor;
      expect(Math.max(...(await tf.abs(tf.sub(expected, actual)).data()))).toBeLessThan(1e-6);
      tf.dispose([input, expected, actual]);
      reloaded.dispose();
      source.dispose();
      head.dispose();
    },
  );
});
