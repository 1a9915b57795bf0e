/**
 * ml/: TensorFlow.js domain code (backbones, heads, training loop, metrics, formats). Runs in the worker
 * (pure, tf-free parts also on the page through api/domain.ts). May import: api (types), shared, tfjs.
 * Never workers, ui or storage. This file: load a backbone -> verify -> embed -> dispose.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { sha256Hex } from '../shared/hash';
import { UserError } from '../api/user-message';
import type { SerializedModel } from '../api/types';
import type { BackboneSpec } from './backbone-catalogue';
import { deserializeModel, serializeModel } from './serialize';

/** Weight tensors up to the cut, by family: every MobileNetV2 to out_relu (whatever its width), MobileNetV3-Small to out_hswish. */
const WEIGHT_TENSORS: Partial<Record<BackboneSpec['family'], number>> = { 'mobilenet-v2': 260, 'mobilenet-v3': 106 };

export class BackboneMismatchError extends UserError {
  override name = 'BackboneMismatchError';
}

export interface Backbone {
  readonly spec: BackboneSpec;
  /** The feature extractor (input → pooled embedding); fine-tuning splits it, nobody else should touch it. */
  readonly model: tfl.LayersModel;
  /** Checksum of the weights as loaded (equal to spec.sha256 when that is pinned). */
  readonly sha256: string;
  /** Pooled features for a batch of preprocessed images [n, size, size, 3]; call inside tf.tidy. */
  features(images: tf.Tensor4D): tf.Tensor2D;
  /** Embeds `count` images given as RGB float32 already scaled; resolves to count × featureSize values. */
  embed(pixels: Float32Array, count: number): Promise<Float32Array>;
  /** The feature extractor as plain data, to cache it. */
  serialize(): Promise<SerializedModel>;
  dispose(): void;
}

/** Finds the layer named `name`, looking inside nested models (Teachable Machine exports nest the base twice). */
export function findLayer(model: tfl.LayersModel, name: string): { owner: tfl.LayersModel; layer: tfl.layers.Layer } | null {
  for (const layer of model.layers) {
    if (layer.name === name) return { owner: model, layer };
    if (layer instanceof tfl.LayersModel) {
      const inner = findLayer(layer, name);
      if (inner) return inner;
    }
  }
  return null;
}

/**
 * Builds a flat functional extractor, input → cut layer → (average pooling if the cut is a feature map),
 * from any model that contains the cut layer: the public no_top base, a Teachable Machine export
 * (Sequential[Sequential[base, pooling], head]) or an extractor Kiln saved earlier. Flat, so that
 * fine-tuning can split it at a block boundary.
 */
export function featureExtractorFrom(model: tfl.LayersModel, spec: BackboneSpec): tfl.LayersModel {
  const found = findLayer(model, spec.cutLayer);
  if (!found) {
    throw new BackboneMismatchError(
      'backbone.noCutLayer',
      `This model has no "${spec.cutLayer}" layer and is not a Teachable Machine image export, so Kiln cannot use it as ${spec.name}.`,
      { layer: spec.cutLayer, name: spec.name },
    );
  }
  const output = found.layer.output as tfl.SymbolicTensor;
  const pooled =
    output.shape.length === 4
      ? (tfl.layers.globalAveragePooling2d({ name: 'kiln_pool' }).apply(output) as tfl.SymbolicTensor)
      : output;
  if (pooled.shape.length !== 2 || pooled.shape[1] !== spec.featureSize) {
    const shape = pooled.shape.slice(1).join(' × ');
    throw new BackboneMismatchError(
      'backbone.wrongFeatureSize',
      `The layer "${spec.cutLayer}" gives ${shape} features, not the ${spec.featureSize} that ${spec.name} has.`,
      { layer: spec.cutLayer, shape, size: spec.featureSize, name: spec.name },
    );
  }
  return tfl.model({ inputs: found.owner.inputs, outputs: pooled, name: `${spec.id}-features` });
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
  let checksum: string;
  try {
    extractor = featureExtractorFrom(loaded, spec);
    const { sha256, count } = await weightChecksum(extractor);
    checksum = sha256;
    if (spec.sha256 !== null && sha256 !== spec.sha256) {
      const tm = spec.id === 'mobilenet-v2-0.35-224';
      const hint = tm ? 'Use the public base or a Teachable Machine image export.' : 'Use the original files.';
      const values = { name: spec.name, checksum: sha256.slice(0, 12), count, expected: spec.sha256.slice(0, 12) };
      throw new BackboneMismatchError(
        tm ? 'backbone.checksumMismatchTm' : 'backbone.checksumMismatch',
        `These weights are not ${spec.name}: their checksum (${sha256.slice(0, 12)}…, ${count} tensors) differs from the expected ${spec.sha256.slice(0, 12)}…. ${hint}`,
        values,
      );
    }
    const expected = WEIGHT_TENSORS[spec.family];
    if (expected !== undefined && count !== expected) {
      throw new BackboneMismatchError(
        'backbone.wrongTensorCount',
        `These weights are not ${spec.name}: it has ${expected} weight tensors, these have ${count}.`,
        { name: spec.name, expected, count },
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
    model: extractor,
    sha256: checksum,
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
