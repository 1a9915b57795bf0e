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
  if (!output) {
    // A custom extractor without Kiln's pooling: its last layer with a spatial output.
    for (const layer of [...extractor.layers].reverse()) {
      const candidate = layer.output as tfl.SymbolicTensor | tfl.SymbolicTensor[];
      if (!Array.isArray(candidate) && candidate.shape.length === 4) {
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
  return tfl.model({ inputs: extractor.inputs, outputs: output, name: 'kiln_feature_map' });
}

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
  const channels = mapModel.outputs[0]!.shape[3];
  if (channels !== head.inputs[0]!.shape[1]) {
    throw new UserError(
      'explain.noFeatureMap',
      'This image model has no map of where things are in the photo, so Kiln cannot show what it looks at.',
    );
  }
  const classes = head.outputs[0]!.shape[1] as number;
  const [heat, probabilities] = tf.tidy(() => {
    const maps = mapModel.predict(images) as tf.Tensor4D;
    const perClass = Array.from({ length: classes }, (_, k) => {
      // Each image's logit depends on its own map only, so the gradient of the batch's sum is each image's own.
      const score = (a: tf.Tensor) => tf.sum(tf.slice(headLogits(head, tf.mean(a, [1, 2]) as tf.Tensor2D), [0, k], [-1, 1]));
      const alpha = tf.mean(tf.grad(score)(maps), [1, 2], true);
      const cam = tf.relu(tf.sum(tf.mul(maps, alpha), -1)) as tf.Tensor3D;
      return tf.div(cam, tf.maximum(tf.max(cam, [1, 2], true), 1e-12));
    });
    const probs = head.predict(tf.mean(maps, [1, 2])) as tf.Tensor2D;
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
