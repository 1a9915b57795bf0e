import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBackbone } from '../ml/backbone';
import { MOBILENET_V3_SMALL } from '../ml/backbone-catalogue';
import { splitForFineTuning } from '../ml/finetune';
import { fineTuneOnce } from '../test-support/fine-tune-once';
import { sharedModel } from '../test-support/shared-models';
import { bridgeWasmGradients } from './wasm-gradients';

const require = createRequire(import.meta.url);

/** Gradients of a 1×1 convolution and a depthwise 3×3 one, as fine-tuning MobileNetV2 needs them. */
function gradients(): number[][] {
  return tf.tidy(() => {
    const x = tf.randomNormal([2, 5, 5, 4], 0, 1, 'float32', 1) as tf.Tensor4D;
    const pointwise = tf.randomNormal([1, 1, 4, 6], 0, 1, 'float32', 2) as tf.Tensor4D;
    const depthwise = tf.randomNormal([3, 3, 6, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const f = (a: tf.Tensor, p: tf.Tensor, d: tf.Tensor) =>
      tf.sum(
        tf.square(tf.depthwiseConv2d(tf.conv2d(a as tf.Tensor4D, p as tf.Tensor4D, 1, 'same'), d as tf.Tensor4D, 1, 'same')),
      );
    return tf
      .grads(f)([x, pointwise, depthwise])
      .map((g) => Array.from(g.dataSync()));
  });
}

describe('convolution gradients on WASM', () => {
  it('match the CPU backend’s, through WASM matmul for 1×1 filters and the CPU bridge for depthwise ones', async () => {
    await tf.setBackend('cpu');
    const expected = gradients();
    setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep);
    await tf.setBackend('wasm');
    expect(() => gradients()).toThrow(/not registered for backend 'wasm'/);
    bridgeWasmGradients();
    const actual = gradients();
    actual.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 2)));
    await tf.setBackend('cpu');
  });

  it('fine-tune MobileNetV3-Small’s last block on WASM: squeeze-and-excite, hard-swish and its 5×5 depthwise train', async () => {
    setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep);
    await tf.setBackend('wasm');
    bridgeWasmGradients();
    const backbone = await loadBackbone(MOBILENET_V3_SMALL, await sharedModel('mobilenet-v3-small-1.0-224-no-top'));
    const split = splitForFineTuning(backbone.model, 1, 'mobilenet-v3');
    const depthwise = () => backbone.model.getLayer('expanded_conv_10_depthwise_BatchNorm_FusedBatchNormV3').getWeights()[0]!;
    const before = depthwise().dataSync().slice();
    const result = await fineTuneOnce(split, { labels: [0, 1], featureSize: 1024, seed: 13 });
    expect(result.leaked).toBe(0);
    expect(result.history.every((epoch) => Number.isFinite(epoch.loss))).toBe(true);
    const after = depthwise().dataSync();
    expect(after.every(Number.isFinite)).toBe(true);
    expect(after).not.toEqual(before);
    backbone.dispose();
    await tf.setBackend('cpu');
  });
});
