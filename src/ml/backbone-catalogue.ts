import type { BackboneSpec } from '../api/types';

export type { BackboneSpec };

/** [0, 255] → [-1, 255 / 127 - 1], i.e. x / 127 - 1, exactly as @teachablemachine/image preprocesses. */
export const TEACHABLE_MACHINE_SCALING: readonly [number, number] = [-1, 255 / 127 - 1];

const V2_URL = (alpha: string) =>
  `https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${alpha}_224_no_top/model.json`;

function mobileNetV2(alpha: string, sha256: string | null): BackboneSpec {
  return {
    id: `mobilenet-v2-${alpha}-224`,
    name: `MobileNetV2 ${alpha} (ImageNet, 224 px)`,
    family: 'mobilenet-v2',
    inputSize: 224,
    publicUrl: V2_URL(alpha),
    bundledPath: null,
    cutLayer: 'out_relu',
    // Teachable Machine's capture() computes x / 127 - 1 (not x / 127.5 - 1): the same input here
    // makes Kiln's predictions and its exports' predictions in that library agree to 1e-4.
    scaling: TEACHABLE_MACHINE_SCALING,
    featureSize: 1280,
    sha256,
    fineTunableBlocks: 16,
  };
}

/**
 * ImageNet MobileNetV2 alpha 0.35 at 224 px: Teachable Machine's base, so Kiln's embeddings and
 * exports match Teachable Machine's. The checksum equals the sha256 of the public no_top weights.bin
 * and of the base inside every Teachable Machine image export seen (see docs/BACKBONE.md).
 */
export const MOBILENET_V2_035: BackboneSpec = {
  ...mobileNetV2('0.35', 'e159deb3afa15bc63a53edb3eb31d0d6de1a25f0d8d72d9b8372b5088a902a8a'),
  bundledPath: 'models/mobilenet-v2-0.35-224/model.json',
};

/**
 * ImageNet MobileNetV3-Small 1.0 at 224 px, ending at `out_hswish` (1 × 1 × 1024, after its own pooling and
 * last 1 × 1 convolution). About the 0.35 MobileNetV2's speed, with better features (docs/BACKBONE.md). No
 * public address serves it as a TF.js layers model, so it comes only from a copy a build brought along
 * (KILN_BACKBONE_SOURCE_V3_SMALL) and is kept in IndexedDB after first use; the checksum is not pinned
 * (dequantized weights, ../shared/README.md), the structure is checked (106 weight tensors, 1024 features).
 */
export const MOBILENET_V3_SMALL: BackboneSpec = {
  id: 'mobilenet-v3-small-1.0-224',
  name: 'MobileNetV3-Small (ImageNet, 224 px)',
  family: 'mobilenet-v3',
  inputSize: 224,
  publicUrl: null,
  bundledPath: null,
  cutLayer: 'out_hswish',
  scaling: [-1, 1],
  featureSize: 1024,
  sha256: null,
  // expanded_conv_1 … expanded_conv_10 (src/ml/finetune.ts); the settings offer up to 6.
  fineTunableBlocks: 10,
};

/** tfjs-models' MobileNet v1 0.25 (the webcam transfer-learning model), cut at its last pointwise ReLU. */
export const MOBILENET_V1_025: BackboneSpec = {
  id: 'mobilenet-v1-0.25-224',
  name: 'MobileNet v1 0.25 (ImageNet, 224 px)',
  family: 'mobilenet-v1',
  inputSize: 224,
  publicUrl: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json',
  bundledPath: null,
  cutLayer: 'conv_pw_13_relu',
  scaling: [-1, 1],
  featureSize: 256,
  sha256: 'de853f683a02275e40414ec4b9030ce7315f0c1cf2c91dd9b2a8b6d6e2f27acf',
  fineTunableBlocks: 0,
};

export const BACKBONES: readonly BackboneSpec[] = [
  MOBILENET_V2_035,
  MOBILENET_V3_SMALL,
  mobileNetV2('0.50', null),
  mobileNetV2('0.75', null),
  mobileNetV2('1.00', null),
  MOBILENET_V1_025,
];

export const DEFAULT_BACKBONE = MOBILENET_V2_035;

/** A catalogue backbone by id; custom backbones live in IndexedDB with their spec. */
export function catalogueBackbone(id: string): BackboneSpec | null {
  return BACKBONES.find((spec) => spec.id === id) ?? null;
}
