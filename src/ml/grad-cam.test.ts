import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { sharedModel } from '../test-support/shared-models';
import { loadBackbone } from './backbone';
import { MOBILENET_V1_025, MOBILENET_V2_035, MOBILENET_V3_SMALL } from './backbone-catalogue';
import { splitForFineTuning, trainableVariables } from './finetune';
import { featureMapModel, gradCam } from './grad-cam';
import { createHead } from './head';

/**
 * A model whose answer is known: a 1×1 convolution passes the red and the blue channel on (ReLU), Kiln's average
 * pooling follows, and the head's class 0 is "how red", class 1 "how blue".
 */
function colourModel(hidden: boolean): { extractor: tfl.LayersModel; head: tfl.Sequential } {
  const input = tfl.input({ shape: [8, 8, 3] });
  const conv = tfl.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu', useBias: false, name: 'colours' });
  const maps = conv.apply(input) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling2d({ name: 'kiln_pool' }).apply(maps) as tfl.SymbolicTensor;
  const extractor = tfl.model({ inputs: input, outputs: pooled });
  conv.setWeights([tf.tensor4d([1, 0, 0, 0, 0, 1], [1, 1, 3, 2])]);
  const head = tfl.sequential();
  if (hidden) {
    head.add(tfl.layers.dense({ inputShape: [2], units: 2, activation: 'relu', useBias: false, name: 'hidden' }));
    head.layers[0]!.setWeights([tf.tensor2d([1, 0, 0, 1], [2, 2])]);
  }
  head.add(tfl.layers.dense({ inputShape: [2], units: 2, activation: 'softmax', useBias: false, name: 'classes' }));
  head.layers[head.layers.length - 1]!.setWeights([tf.tensor2d([4, 0, 0, 4], [2, 2])]);
  return { extractor, head };
}

/** 8 × 8 pixels: red in the top-right quarter, blue in the bottom-left one, black elsewhere. */
function quarters(): tf.Tensor4D {
  const values = new Float32Array(8 * 8 * 3);
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) {
      if (y < 4 && x >= 4) values[(y * 8 + x) * 3] = 1;
      if (y >= 4 && x < 4) values[(y * 8 + x) * 3 + 2] = 1;
    }
  return tf.tensor4d(values, [1, 8, 8, 3]);
}

const quarterMass = (heat: Float32Array) => {
  const mass = [0, 0, 0, 0]; // top left, top right, bottom left, bottom right
  heat.forEach((v, i) => (mass[(Math.floor(i / 8) < 4 ? 0 : 2) + (i % 8 < 4 ? 0 : 1)]! += v));
  return mass;
};

describe('Grad-CAM', () => {
  for (const hidden of [false, true]) {
    it(`lights the quarter that holds a class's evidence, and nothing else${hidden ? ' (through a hidden layer)' : ''}`, async () => {
      const { extractor, head } = colourModel(hidden);
      const image = quarters();
      const [evidence] = await gradCam(featureMapModel(extractor), head, image);
      expect([evidence!.rows, evidence!.cols]).toEqual([8, 8]);
      const [red, blue] = evidence!.heat;
      const redMass = quarterMass(red!);
      expect(redMass[1]).toBeCloseTo(16, 4); // every top-right cell at the peak value 1
      expect(redMass[0]! + redMass[2]! + redMass[3]!).toBeCloseTo(0, 6);
      const blueMass = quarterMass(blue!);
      expect(blueMass[2]).toBeCloseTo(16, 4);
      expect(blueMass[0]! + blueMass[1]! + blueMass[3]!).toBeCloseTo(0, 6);
      // The probabilities are the model's own: equal red and blue areas, so an even answer.
      expect(evidence!.probabilities[0]).toBeCloseTo(0.5, 5);
      tf.dispose(image);
    });
  }

  it('runs on MobileNetV2 with a Kiln head and leaves no tensor behind', async () => {
    const backbone = await loadBackbone(MOBILENET_V2_035, await sharedModel('mobilenet-v2-0.35-224-no-top'));
    const head = createHead(1280, 3, { hiddenUnits: 16, seed: 7 });
    const images = tf.randomUniform([2, 224, 224, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
    const mapModel = featureMapModel(backbone.model);
    await gradCam(mapModel, head, images); // Warm-up: tfjs keeps some tensors for the first run.
    const before = tf.memory().numTensors;
    const [first, second] = await gradCam(mapModel, head, images);
    expect(tf.memory().numTensors).toBe(before);
    expect([first!.rows, first!.cols]).toEqual([7, 7]);
    expect(first!.heat).toHaveLength(3);
    for (const heat of [...first!.heat, ...second!.heat]) expect(Math.max(...heat)).toBeLessThanOrEqual(1);
    const expected = tf.tidy(() => head.predict(backbone.features(images)) as tf.Tensor2D);
    const probabilities = await expected.data();
    expected.dispose();
    first!.probabilities.forEach((p, k) => expect(p).toBeCloseTo(probabilities[k]!, 5));
    tf.dispose([images]);
    head.dispose();
    backbone.dispose();
  });

  it('works on every backbone Kiln offers (MobileNet v1, a Teachable Machine export) and after fine-tuning', async () => {
    const images = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    const v1 = await loadBackbone(MOBILENET_V1_025, await sharedModel('mobilenet-v1-0.25-224'));
    const [onV1] = await gradCam(featureMapModel(v1.model), createHead(256, 2, { hiddenUnits: 8, seed: 1 }), images);
    expect([onV1!.rows, onV1!.cols]).toEqual([7, 7]);
    v1.dispose();

    // MobileNetV3-Small's cut (out_hswish) is already pooled to 1 × 1: the map is its last 7 × 7 one, and it varies.
    const v3 = await loadBackbone(MOBILENET_V3_SMALL, await sharedModel('mobilenet-v3-small-1.0-224-no-top'));
    const v3Head = createHead(1024, 2, { hiddenUnits: 8, seed: 1 });
    const [onV3] = await gradCam(featureMapModel(v3.model), v3Head, images);
    expect([onV3!.rows, onV3!.cols]).toEqual([7, 7]);
    expect(new Set(Array.from(onV3!.heat[0]!, (h) => h.toFixed(3))).size).toBeGreaterThan(1);
    // Its probabilities are the model's own: the layers after the map were run, not just an average.
    const v3Expected = tf.tidy(() => v3Head.predict(v3.features(images)) as tf.Tensor2D);
    const v3Probabilities = await v3Expected.data();
    v3Expected.dispose();
    onV3!.probabilities.forEach((p, k) => expect(p).toBeCloseTo(v3Probabilities[k]!, 4));
    // A copy fine-tuned in this session: its last block's layers now also belong to the trained suffix.
    const v3Split = splitForFineTuning(v3.model, 1, 'mobilenet-v3');
    for (const variable of trainableVariables(v3Split)) variable.assign(tf.tidy(() => tf.mul(variable, 1.2)));
    const [tuned] = await gradCam(featureMapModel(v3.model), v3Head, images);
    const tunedExpected = tf.tidy(() => v3Head.predict(v3.features(images)) as tf.Tensor2D);
    const tunedProbabilities = await tunedExpected.data();
    tunedExpected.dispose();
    expect(Array.from(tunedProbabilities)).not.toEqual(Array.from(v3Probabilities));
    tuned!.probabilities.forEach((p, k) => expect(p).toBeCloseTo(tunedProbabilities[k]!, 4));
    v3.dispose();

    const tm = await loadBackbone(MOBILENET_V2_035, await sharedModel('teachable-machine', 'nail-biting'));
    const head = createHead(1280, 2, { hiddenUnits: 8, seed: 2 });
    const mapModel = featureMapModel(tm.model);
    const [before] = await gradCam(mapModel, head, images);
    // Fine-tuning changes the last block's kernels in place (the predictor's copy of the backbone): the map follows.
    const split = splitForFineTuning(tm.model, 1);
    for (const variable of trainableVariables(split)) variable.assign(tf.tidy(() => tf.mul(variable, 1.5)));
    const [after] = await gradCam(mapModel, head, images);
    expect(after!.heat[0]).not.toEqual(before!.heat[0]);
    // A map model made after the split (a model fine-tuned in this session, opened in Preview) sees the same.
    const [afterSplit] = await gradCam(featureMapModel(tm.model), head, images);
    afterSplit!.heat[0]!.forEach((h, i) => expect(h).toBeCloseTo(after!.heat[0]![i]!, 5));
    // Each class's map is scaled to a peak of 1, or all 0 where nothing points to that class.
    for (const heat of after!.heat) expect([0, 1]).toContain(Math.round(Math.max(...heat) * 1e5) / 1e5);
    tm.dispose();
    tf.dispose(images);
  });
});
