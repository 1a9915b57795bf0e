import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { sharedModel } from '../test-support/shared-models';
import { BackboneMismatchError, loadBackbone, type Backbone } from './backbone';
import { MOBILENET_V2_035, MOBILENET_V3_SMALL } from './backbone-catalogue';
import { batchInput } from './preprocess';

const spec = MOBILENET_V2_035;

/** Two deterministic "images" (gradients), as RGBA at the input size. */
function images(): Float32Array {
  const size = spec.inputSize;
  const make = (seed: number) => new Uint8ClampedArray(size * size * 4).map((_, i) => (i * seed) % 256);
  return batchInput([make(7), make(13)], size, spec.scaling);
}

async function withBackbone<T>(files: Parameters<typeof loadBackbone>[1], use: (b: Backbone) => Promise<T>): Promise<T> {
  return withSpec(spec, files, use);
}

async function withSpec<T>(
  which: typeof spec,
  files: Parameters<typeof loadBackbone>[1],
  use: (b: Backbone) => Promise<T>,
): Promise<T> {
  const backbone = await loadBackbone(which, files);
  try {
    return await use(backbone);
  } finally {
    backbone.dispose();
  }
}

describe('backbone', () => {
  it('cuts the public no_top base at out_relu, pools to 1280 features, and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    await withBackbone(await sharedModel('mobilenet-v2-0.35-224-no-top'), async (backbone) => {
      const during = tf.memory().numTensors;
      const features = await backbone.embed(images(), 2);
      expect(features.length).toBe(2 * 1280);
      expect(features.every(Number.isFinite)).toBe(true);
      // Pooled ReLU outputs: non-negative, and the two images differ.
      expect(Math.min(...features)).toBeGreaterThanOrEqual(0);
      expect(features.slice(0, 1280)).not.toEqual(features.slice(1280));
      expect(tf.memory().numTensors).toBe(during);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes the same base out of every Teachable Machine export and gives identical features', async () => {
    const reference = await withBackbone(await sharedModel('mobilenet-v2-0.35-224-no-top'), (b) => b.embed(images(), 2));
    for (const name of ['nail-biting', 'handwritten-digits', 'video-classifier', 'hand-gestures']) {
      const features = await withBackbone(await sharedModel('teachable-machine', name), (b) => b.embed(images(), 2));
      expect(features, name).toEqual(reference);
    }
  });

  it('refuses other weights by checksum, with a message that says what to use', async () => {
    const files = await sharedModel('mobilenet-v2-0.35-224-no-top');
    const tampered = new Float32Array(files.weightData.slice(0));
    tampered[0] = tampered[0]! + 0.5;
    const before = tf.memory().numTensors;
    await expect(loadBackbone(spec, { ...files, weightData: tampered.buffer })).rejects.toThrow(BackboneMismatchError);
    await expect(loadBackbone(spec, { ...files, weightData: tampered.buffer })).rejects.toThrow(/Teachable Machine image export/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a model that has neither the cut layer nor the Teachable Machine shape', async () => {
    await expect(loadBackbone(spec, await sharedModel('mobilenet-v1-0.25-224'))).rejects.toThrow(/has no "out_relu" layer/);
  });

  it('round-trips through serialize, as the IndexedDB cache does', async () => {
    const original = await loadBackbone(spec, await sharedModel('teachable-machine', 'nail-biting'));
    const saved = await original.serialize();
    const expected = await original.embed(images(), 2);
    original.dispose();
    const reloaded = await withBackbone(saved, (b) => b.embed(images(), 2));
    expect(reloaded).toEqual(expected);
  });

  it('cuts MobileNetV3-Small at out_hswish into 1024 features that tell ants from bees, and refuses a V2 in its place', async () => {
    const before = tf.memory().numTensors;
    const v3 = await loadBackbone(MOBILENET_V3_SMALL, await sharedModel('mobilenet-v3-small-1.0-224-no-top'));
    const features = await v3.embed(images(), 2);
    expect(features.length).toBe(2 * 1024);
    expect(features.every(Number.isFinite)).toBe(true);
    expect(features.slice(0, 1024)).not.toEqual(features.slice(1024));
    // The cached copy (IndexedDB keeps the serialized extractor) gives the same features.
    const again = await withSpec(MOBILENET_V3_SMALL, await v3.serialize(), (b) => b.embed(images(), 2));
    expect(again).toEqual(features);
    v3.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // A MobileNetV2 has no out_hswish; a model with that layer but other weights is refused by its structure.
    await expect(loadBackbone(MOBILENET_V3_SMALL, await sharedModel('mobilenet-v2-0.35-224-no-top'))).rejects.toThrow(
      /has no "out_hswish" layer/,
    );
  });

  it('features() composes inside tf.tidy without leaking', async () => {
    await withBackbone(await sharedModel('mobilenet-v2-0.35-224-no-top'), async (backbone) => {
      const before = tf.memory().numTensors;
      const pooled = tf.tidy(() => tf.sum(backbone.features(tf.zeros([1, 224, 224, 3]) as tf.Tensor4D)));
      expect((await pooled.data())[0]).toBeGreaterThan(0);
      pooled.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
