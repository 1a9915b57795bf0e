import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { TEACHABLE_MACHINE_SETTINGS } from '../api/settings';
import { fineTuneOnce } from '../test-support/fine-tune-once';
import { sharedModel } from '../test-support/shared-models';
import { loadBackbone } from './backbone';
import { MOBILENET_V2_035, MOBILENET_V3_SMALL } from './backbone-catalogue';
import { splitForFineTuning, trainableVariables } from './finetune';
import { createHead } from './head';
import { trainLoop } from './train-loop';

describe('fine-tuning the last blocks', () => {
  it('unfreezes exactly the last K blocks (and Conv_1), and prefix + suffix equal the whole extractor', async () => {
    const backbone = await loadBackbone(MOBILENET_V2_035, await sharedModel('mobilenet-v2-0.35-224-no-top'));
    const image = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const whole = tf.tidy(() => backbone.features(image));
    for (const k of [1, 2, 4]) {
      const split = splitForFineTuning(backbone.model, k);
      const blocks = new Set(split.trainableLayers.map((l) => /^block_(\d+)_/.exec(l.name)?.[1] ?? l.name));
      const expected = new Set([...Array.from({ length: k }, (_, i) => String(16 - i)), 'Conv_1']);
      expect(blocks).toEqual(expected);
      expect(split.trainableLayers.every((l) => ['Conv2D', 'DepthwiseConv2D'].includes(l.getClassName()))).toBe(true);
      expect(trainableVariables(split).length).toBe(split.trainableLayers.length);
      const composed = tf.tidy(() => split.suffix.predict(split.prefix.predict(image) as tf.Tensor) as tf.Tensor);
      expect(tf.max(tf.abs(tf.sub(composed, whole))).dataSync()[0]).toBeLessThan(1e-4);
      composed.dispose();
    }
    expect(splitForFineTuning(backbone.model, 2).boundaryShape).toEqual([7, 7, 56]);
    tf.dispose([whole, image]);
    backbone.dispose();
  });

  it('training changes the unfrozen kernels, leaves batch norm alone, and leaks nothing', async () => {
    const backbone = await loadBackbone(MOBILENET_V2_035, await sharedModel('mobilenet-v2-0.35-224-no-top'));
    const split = splitForFineTuning(backbone.model, 1);
    const frozenBn = backbone.model.getLayer('block_16_project_BN').getWeights()[0]!.dataSync().slice();
    const kernelBefore = backbone.model.getLayer('block_16_project').getWeights()[0]!.dataSync().slice();
    const { leaked } = await fineTuneOnce(split, { labels: [0, 1, 0, 1], featureSize: 1280, seed: 5 });
    expect(leaked).toBe(0);
    expect(backbone.model.getLayer('block_16_project').getWeights()[0]!.dataSync()).not.toEqual(kernelBefore);
    expect(backbone.model.getLayer('block_16_project_BN').getWeights()[0]!.dataSync()).toEqual(frozenBn);
    backbone.dispose();
  });

  it('fine-tunes a "Predict a number" model too: Huber loss reaches the unfrozen kernels, nothing leaks', async () => {
    const backbone = await loadBackbone(MOBILENET_V2_035, await sharedModel('mobilenet-v2-0.35-224-no-top'));
    const split = splitForFineTuning(backbone.model, 1);
    const kernelBefore = backbone.model.getLayer('block_16_project').getWeights()[0]!.dataSync().slice();
    const images = tf.randomUniform([4, 224, 224, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
    const activations = tf.tidy(() => split.prefix.predict(images) as tf.Tensor);
    const values = (await activations.data()) as Float32Array;
    tf.dispose([images, activations]);
    const before = tf.memory().numTensors;
    const settings = { ...TEACHABLE_MACHINE_SETTINGS, epochs: 2, batchSize: 4, learningRate: 0.01, fineTuneRateFactor: 1 };
    const head = createHead(1280, 1, { ...settings, output: 'linear' });
    const rows = { values, rowShape: split.boundaryShape, labels: [-0.8, -0.2, 0.3, 0.9] };
    const result = await trainLoop({
      parts: { head, suffix: split.suffix, suffixVariables: trainableVariables(split) },
      numClasses: 1,
      objective: { kind: 'regress', loss: 'huber' },
      settings,
      train: rows,
      validation: rows,
      classWeights: null,
    });
    head.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(result.validationProbabilities).toHaveLength(4);
    expect(result.history.every((e) => Number.isFinite(e.valLoss!))).toBe(true);
    expect(backbone.model.getLayer('block_16_project').getWeights()[0]!.dataSync()).not.toEqual(kernelBefore);
    backbone.dispose();
  });

  it('splits MobileNetV3-Small before its last blocks too: squeeze-and-excite and residuals stay whole, and it trains', async () => {
    const backbone = await loadBackbone(MOBILENET_V3_SMALL, await sharedModel('mobilenet-v3-small-1.0-224-no-top'));
    const image = tf.randomUniform([2, 224, 224, 3], -1, 1, 'float32', 11) as tf.Tensor4D;
    const whole = tf.tidy(() => backbone.features(image));
    for (const k of [1, 2]) {
      const split = splitForFineTuning(backbone.model, k, 'mobilenet-v3');
      const blocks = new Set(split.trainableLayers.map((l) => /^expanded_conv_(\d+)_/.exec(l.name)?.[1] ?? l.name));
      expect(blocks).toEqual(new Set([...Array.from({ length: k }, (_, i) => String(10 - i)), 'Conv_1', 'Conv_2']));
      const composed = tf.tidy(() => split.suffix.predict(split.prefix.predict(image) as tf.Tensor) as tf.Tensor);
      expect(tf.max(tf.abs(tf.sub(composed, whole))).dataSync()[0]).toBeLessThan(1e-4);
      composed.dispose();
    }
    // Block 10 adds its input back (a residual): the boundary is that sum, 7 × 7 × 96.
    const split = splitForFineTuning(backbone.model, 1, 'mobilenet-v3');
    expect(split.boundaryShape).toEqual([7, 7, 96]);
    expect(() => splitForFineTuning(backbone.model, 11, 'mobilenet-v3')).toThrow(/between 1 and 10 blocks/);

    const kernelBefore = backbone.model.getLayer('expanded_conv_10_project').getWeights()[0]!.dataSync().slice();
    const exciteBefore = backbone.model.getLayer('expanded_conv_10_squeeze_excite_Conv').getWeights()[0]!.dataSync().slice();
    const earlierBefore = backbone.model.getLayer('expanded_conv_9_project').getWeights()[0]!.dataSync().slice();
    const { leaked } = await fineTuneOnce(split, { labels: [0, 1], featureSize: 1024, seed: 11 });
    expect(leaked).toBe(0);
    expect(backbone.model.getLayer('expanded_conv_10_project').getWeights()[0]!.dataSync()).not.toEqual(kernelBefore);
    expect(backbone.model.getLayer('expanded_conv_10_squeeze_excite_Conv').getWeights()[0]!.dataSync()).not.toEqual(exciteBefore);
    expect(backbone.model.getLayer('expanded_conv_9_project').getWeights()[0]!.dataSync()).toEqual(earlierBefore);
    tf.dispose([whole, image]);
    backbone.dispose();
  });
});
