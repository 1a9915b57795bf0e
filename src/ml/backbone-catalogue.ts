/** Backbones Kiln knows how to find, cut and verify. */
export interface BackboneSpec {
  id: string;
  name: string;
  inputSize: number;
  /** Where real users get it: the public bucket Teachable Machine itself downloads from. */
  publicUrl: string;
  /** Where a build that brought the weights along keeps them, relative to the app's base URL. */
  bundledPath: string;
  /** The layer whose output is pooled into the embedding. */
  cutLayer: string;
  pooling: 'avg';
  /** Pixels are mapped from [0, 255] to this range. */
  scaling: readonly [number, number];
  featureSize: number;
  /** SHA-256 of the base's weight values, in layer order, as float32 bytes. */
  sha256: string;
  weightCount: number;
}

/**
 * ImageNet MobileNetV2 alpha 0.35 at 224 px: Teachable Machine's base, so Kiln's embeddings and
 * exports match Teachable Machine's. The checksum equals the sha256 of the public no_top weights.bin
 * and of the base inside every Teachable Machine image export seen (see docs/BACKBONE.md).
 */
export const MOBILENET_V2_035: BackboneSpec = {
  id: 'mobilenet-v2-0.35-224',
  name: 'MobileNetV2 0.35 (ImageNet, 224 px)',
  inputSize: 224,
  publicUrl:
    'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json',
  bundledPath: 'models/mobilenet-v2-0.35-224/model.json',
  cutLayer: 'out_relu',
  pooling: 'avg',
  scaling: [-1, 1],
  featureSize: 1280,
  sha256: 'e159deb3afa15bc63a53edb3eb31d0d6de1a25f0d8d72d9b8372b5088a902a8a',
  weightCount: 260,
};

export const DEFAULT_BACKBONE = MOBILENET_V2_035;

export function backboneSpec(id: string): BackboneSpec {
  if (id === MOBILENET_V2_035.id) return MOBILENET_V2_035;
  throw new Error(`Unknown backbone "${id}".`);
}
