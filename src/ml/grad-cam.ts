/**
 * Where a model looks: Grad-CAM (Selvaraju et al., 2017) on the backbone's last convolutional feature map, the way
 * the Keras example (keras.io/examples/vision/grad_cam) and pytorch-grad-cam compute it. For class c with logit
 * z_c (the score before softmax) and feature map A [h, w, C]:
 *   α_k = mean over positions of ∂z_c/∂A_k,   heat = ReLU(Σ_k α_k A_k),   then scaled so its largest cell is 1.
 * The map is the backbone's own grid (7 × 7 at 224 px). Only the head is differentiated (A → pooling → head), so one
 * explanation costs one forward pass of the backbone: cheap enough for validation sets and a webcam at 1 a second.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UserError } from '../api/user-message';

/** The last feature map before pooling, as a model: input → [n, h, w, C]. Shares the extractor's layers. */
export function featureMapModel(extractor: tfl.LayersModel): tfl.LayersModel {
  const pool = extractor.layers.find((l) => l.name === 'kiln_pool');
  let output: tfl.SymbolicTensor | undefined = pool?.inboundNodes[0]?.inputTensors[0];
  const spatial = (t: tfl.SymbolicTensor) => t.shape.length === 4 && !(t.shape[1] === 1 && t.shape[2] === 1);
  if (!output || !spatial(output)) {
    // A custom extractor without Kiln's pooling, or one whose cut is already pooled to 1 × 1 (MobileNetV3's
    // out_hswish): its last layer with a map of places, whose gradients still flow to the features.
    output = undefined;
    for (const layer of [...extractor.layers].reverse()) {
      const candidate = outputOf(layer);
      if (candidate && spatial(candidate)) {
        output = candidate;
        break;
      }
    }
  }
  if (!output || output.shape.length !== 4) {
    throw new UserError(
      'explain.noFeatureMap',
      'This image model has no map of where things are in the photo, so Kiln cannot show what it looks at.',
    );
  }
  const mapModel = tfl.model({ inputs: extractor.inputs, outputs: output, name: 'kiln_feature_map' });
  poolers.set(mapModel, poolerAfter(extractor, output));
  return mapModel;
}

/**
 * A layer's output in the extractor's own graph. Not `layer.output`: once fine-tuning has split a backbone copy, its
 * last blocks' layers also belong to the trained suffix (a second inbound node), and `output` then throws.
 */
function outputOf(layer: tfl.layers.Layer): tfl.SymbolicTensor | undefined {
  const outputs = layer.inboundNodes[0]?.outputTensors;
  return outputs?.length === 1 ? outputs[0] : undefined;
}

/** How each feature map model's map becomes the extractor's pooled features (the mean, unless layers follow it). */
const poolers = new WeakMap<tfl.LayersModel, (map: tf.Tensor4D) => tf.Tensor2D>();

const averagePool = (map: tf.Tensor4D) => tf.mean(map, [1, 2]) as tf.Tensor2D;

/**
 * The extractor's layers after the map, run eagerly on a map (so gradients flow through them): MobileNetV3-Small
 * pools, convolves and applies hard-swish after its last 7 × 7 map. Just the average when pooling follows the map.
 */
function poolerAfter(extractor: tfl.LayersModel, map: tfl.SymbolicTensor): (map: tf.Tensor4D) => tf.Tensor2D {
  const layers = extractor.layers;
  const start = layers.findIndex((l) => outputOf(l) === map);
  const rest = layers.slice(start + 1);
  if (start < 0 || (rest.length === 1 && rest[0]!.name === 'kiln_pool')) return averagePool;
  const final = extractor.outputs[0]!;
  return (value) => {
    const known = new Map<number, tf.Tensor>([[map.id, value]]);
    for (const layer of rest) {
      const inputs = layer.inboundNodes[0]!.inputTensors.map((t) => known.get(t.id));
      if (inputs.some((t) => t === undefined)) continue; // not downstream of the map
      const out = layer.apply(inputs.length === 1 ? inputs[0]! : (inputs as tf.Tensor[])) as tf.Tensor;
      known.set(layer.inboundNodes[0]!.outputTensors[0]!.id, out);
    }
    const features = known.get(final.id);
    if (!features) throw new UserError('explain.noFeatureMap', NO_MAP);
    return features as tf.Tensor2D;
  };
}

const NO_MAP = 'This image model has no map of where things are in the photo, so Kiln cannot show what it looks at.';

/**
 * The head's logits for pooled features: every layer but the last as it is, then the last Dense layer without its
 * softmax. Heads whose last layer is not Dense fall back to log-probabilities (the same ranking of evidence).
 */
export function headLogits(head: tfl.LayersModel, pooled: tf.Tensor2D): tf.Tensor2D {
  const layers = head.layers;
  const last = layers[layers.length - 1]!;
  let x: tf.Tensor = pooled;
  if (last.getClassName() !== 'Dense') return tf.log(tf.add(head.apply(pooled) as tf.Tensor2D, 1e-12)) as tf.Tensor2D;
  for (const layer of layers.slice(0, -1)) x = layer.apply(x) as tf.Tensor;
  const [kernel, bias] = last.getWeights();
  const logits = tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D) as tf.Tensor2D;
  return bias ? (tf.add(logits, bias) as tf.Tensor2D) : logits;
}

export interface ImageEvidence {
  /** Height and width of the grid (the backbone's feature map). */
  rows: number;
  cols: number;
  /**
   * Per class (class order): rows × cols values in [0, 1], row after row, scaled so the largest is 1; all 0 when
   * nothing in the image pointed to that class.
   */
  heat: Float32Array[];
  /** The model's probabilities for this image, in class order. */
  probabilities: Float32Array;
}

/**
 * Grad-CAM of every class for a batch of preprocessed images [n, size, size, 3]: one backbone pass, then one small
 * gradient through the head per class, so switching the class shown costs nothing. Disposes everything it makes;
 * `images` stays the caller's.
 */
export async function gradCam(mapModel: tfl.LayersModel, head: tfl.LayersModel, images: tf.Tensor4D): Promise<ImageEvidence[]> {
  const pool = poolers.get(mapModel) ?? averagePool;
  const channels = pool === averagePool ? mapModel.outputs[0]!.shape[3] : head.inputs[0]!.shape[1];
  if (channels !== head.inputs[0]!.shape[1]) throw new UserError('explain.noFeatureMap', NO_MAP);
  const classes = head.outputs[0]!.shape[1] as number;
  const [heat, probabilities] = tf.tidy(() => {
    const maps = mapModel.predict(images) as tf.Tensor4D;
    const perClass = Array.from({ length: classes }, (_, k) => {
      // Each image's logit depends on its own map only, so the gradient of the batch's sum is each image's own.
      const score = (a: tf.Tensor) => tf.sum(tf.slice(headLogits(head, pool(a as tf.Tensor4D)), [0, k], [-1, 1]));
      const alpha = tf.mean(tf.grad(score)(maps), [1, 2], true);
      const cam = tf.relu(tf.sum(tf.mul(maps, alpha), -1)) as tf.Tensor3D;
      return tf.div(cam, tf.maximum(tf.max(cam, [1, 2], true), 1e-12));
    });
    const probs = head.predict(pool(maps)) as tf.Tensor2D;
    // [n, classes, rows, cols]
    return [tf.stack(perClass, 1) as tf.Tensor4D, probs];
  });
  try {
    const [, , rows, cols] = heat.shape;
    const cells = rows * cols;
    const [heatValues, probabilityValues] = (await Promise.all([heat.data(), probabilities.data()])) as Float32Array[];
    return Array.from({ length: images.shape[0] }, (_, i) => ({
      rows,
      cols,
      heat: Array.from({ length: classes }, (_, k) =>
        heatValues!.slice((i * classes + k) * cells, (i * classes + k + 1) * cells),
      ),
      probabilities: probabilityValues!.slice(i * classes, (i + 1) * classes),
    }));
  } finally {
    tf.dispose([heat, probabilities]);
  }
}
