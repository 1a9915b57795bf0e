import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { sha256Hex } from '../shared/hash';
import type { SerializedModel } from '../shared/types';
import type { BackboneSpec } from './backbone-catalogue';
import { deserializeModel, serializeModel } from './serialize';

export class BackboneMismatchError extends Error {
  override name = 'BackboneMismatchError';
}

export interface Backbone {
  readonly spec: BackboneSpec;
  /** Pooled features for a batch of preprocessed images [n, size, size, 3]; call inside tf.tidy. */
  features(images: tf.Tensor4D): tf.Tensor2D;
  /** Embeds `count` images given as RGB float32 already scaled; resolves to count × featureSize values. */
  embed(pixels: Float32Array, count: number): Promise<Float32Array>;
  /** The feature extractor as plain data, to cache it. */
  serialize(): Promise<SerializedModel>;
  dispose(): void;
}

/**
 * Finds the feature extractor inside a loaded model:
 * - a base that still has its cut layer (the public no_top model): cut there and add average pooling;
 * - a Teachable Machine export, Sequential[Sequential[base, pooling], head]: take its first part;
 * - an extractor saved earlier by Kiln: already ends in pooled features.
 */
export function featureExtractorFrom(model: tfl.LayersModel, spec: BackboneSpec): tfl.LayersModel {
  const isPooled = (m: tfl.LayersModel) => {
    const shape = m.outputs[0]?.shape;
    return shape?.length === 2 && shape[1] === spec.featureSize;
  };
  const cut = model.layers.find((layer) => layer.name === spec.cutLayer);
  if (cut) {
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(cut.output) as tfl.SymbolicTensor;
    return tfl.model({ inputs: model.inputs, outputs: pooled, name: `${spec.id}-features` });
  }
  const first = model.layers[0];
  if (model.layers.length === 2 && first instanceof tfl.LayersModel && isPooled(first)) return first;
  if (isPooled(model)) return model;
  throw new BackboneMismatchError(
    `This model has no "${spec.cutLayer}" layer and is not a Teachable Machine image export, so Kiln cannot use it as ${spec.name}.`,
  );
}

/** SHA-256 of the weight values, in the model's layer order, as little-endian float32 bytes. */
export async function weightChecksum(model: tfl.LayersModel): Promise<{ sha256: string; count: number; bytes: number }> {
  const weights = model.weights;
  const parts: Uint8Array[] = [];
  for (const weight of weights) {
    const values = await weight.read().data();
    parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  const bytes = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const all = new Uint8Array(bytes);
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.byteLength;
  }
  return { sha256: await sha256Hex(all), count: weights.length, bytes };
}

/**
 * Loads the backbone from model files (any layout featureExtractorFrom accepts), checks that its
 * weights are exactly the expected base, and warms it up so the first real call is not the slow one.
 */
export async function loadBackbone(spec: BackboneSpec, files: SerializedModel): Promise<Backbone> {
  const loaded = await deserializeModel(files);
  let extractor: tfl.LayersModel;
  try {
    extractor = featureExtractorFrom(loaded, spec);
    const { sha256, count } = await weightChecksum(extractor);
    if (sha256 !== spec.sha256) {
      throw new BackboneMismatchError(
        `These weights are not ${spec.name}: their checksum (${sha256.slice(0, 12)}…, ${count} tensors) differs from the expected ${spec.sha256.slice(0, 12)}…. Use the public base or a Teachable Machine image export.`,
      );
    }
  } catch (error) {
    loaded.dispose();
    throw error;
  }
  const [low, high] = spec.scaling;
  const size = spec.inputSize;

  const backbone: Backbone = {
    spec,
    features(images) {
      return extractor.predict(images) as tf.Tensor2D;
    },
    async embed(pixels, count) {
      const output = tf.tidy(() => backbone.features(tf.tensor4d(pixels, [count, size, size, 3])));
      try {
        return (await output.data()) as Float32Array;
      } finally {
        output.dispose();
      }
    },
    serialize() {
      return serializeModel(extractor);
    },
    dispose() {
      loaded.dispose();
    },
  };
  // Warm-up: compiles shaders / allocates buffers once, at load time.
  const warm = tf.tidy(() => backbone.features(tf.fill([1, size, size, 3], (low + high) / 2) as tf.Tensor4D));
  await warm.data();
  warm.dispose();
  return backbone;
}
