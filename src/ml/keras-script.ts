/**
 * "Outgrow the browser": the train.py and README.md that go into a project's dataset export, so the same
 * training runs in TensorFlow / Keras on any machine and can continue with a larger or fine-tuned backbone.
 * See docs/OUTGROW-THE-BROWSER.md.
 */
import { PAD_GREY } from '../api/crop-mode';
import { normalizeSettings, type TrainingSettings } from '../api/settings';
import type { CropMode } from '../api/types';
import { CLOSE_SHARE, HUBER_DELTA, type Quantity } from './regression';

export interface KerasScriptInput {
  projectName: string;
  /** Class names in Kiln's order: output k of the model is classes[k]. */
  classes: string[];
  /** The folder under data/ that holds each class's photos, in the order of `classes`. */
  folders: string[];
  settings: TrainingSettings;
  backboneId: string;
  kilnVersion: string;
  /** How photos fill the model's square (the project's crop mode); missing means 'center'. */
  cropMode?: CropMode;
  /**
   * A "Predict a number" project: train.py reads data/values.csv (file name, value) and the photos in
   * data/photos/, trains one linear output on targets scaled to −1…1 with MSE or Huber loss, and saves a model
   * that answers the value itself. `classes` is then [the quantity's name] and `folders` ['photos'].
   */
  quantity?: Quantity | null;
}

export type ScriptFamily = 'mobilenet_v2' | 'mobilenet_v1';

export interface ScriptBackbone {
  family: ScriptFamily;
  alpha: number;
  /** Set when Keras has no equivalent of Kiln's backbone and the script falls back to MobileNetV2 0.35. */
  note: string | null;
}

/** Widths Keras ships ImageNet weights for at 224 px. */
export const KERAS_ALPHAS: Record<ScriptFamily, readonly number[]> = {
  mobilenet_v2: [0.35, 0.5, 0.75, 1.0, 1.3, 1.4],
  mobilenet_v1: [0.25, 0.5, 0.75, 1.0],
};

/**
 * A Python str literal for any string. JSON's string syntax is a subset of Python's: the same escapes
 * (\" \\ \n \uXXXX …), and everything else raw in UTF-8. The tests check the round trip through Python
 * for quotes, backslashes, emoji, U+2028, NUL and lone surrogates.
 */
export const pythonString = (text: string): string => JSON.stringify(text);

const pythonList = (items: readonly string[]) => `[${items.map(pythonString).join(', ')}]`;

/** A Python float literal (`1.0`, not `1`, so the flag's type shows). */
function pythonFloat(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** Text safe inside a Python comment or a Markdown line: no line breaks or other control characters. */
const oneLine = (text: string) => text.replace(/[\p{Cc}\u2028\u2029]/gu, ' ');

/** The Keras application that matches a Kiln backbone id. */
export function scriptBackbone(backboneId: string): ScriptBackbone {
  const match = /^mobilenet-(v1|v2)-(\d+(?:\.\d+)?)-224$/.exec(backboneId);
  if (match) {
    const family: ScriptFamily = match[1] === 'v1' ? 'mobilenet_v1' : 'mobilenet_v2';
    const alpha = Number(match[2]);
    if (KERAS_ALPHAS[family].includes(alpha)) return { family, alpha, note: null };
  }
  return {
    family: 'mobilenet_v2',
    alpha: 0.35,
    note: `Kiln trained on the backbone "${oneLine(backboneId)}", which this script does not build (it builds Keras' MobileNetV2 and MobileNet v1): it starts from MobileNetV2 0.35 (Kiln's default) instead.`,
  };
}

const AUGMENTATIONS = ['flip', 'rotate', 'crop', 'brightness', 'contrast', 'saturation'] as const;

function enabledAugmentations(settings: TrainingSettings): string {
  return AUGMENTATIONS.filter((name) => settings.augmentation[name]).join(',') || 'none';
}

/** The settings as Kiln applies them: only its own MobileNetV2 backbones can fine-tune blocks. */
function scriptSettings(input: KerasScriptInput): TrainingSettings {
  const s = normalizeSettings(input.settings);
  const backbone = scriptBackbone(input.backboneId);
  return backbone.family === 'mobilenet_v2' && !backbone.note ? s : { ...s, fineTuneBlocks: 0 };
}

function checkInput(input: KerasScriptInput): void {
  if (input.folders.length !== input.classes.length) {
    throw new Error(`${input.classes.length} classes but ${input.folders.length} folders.`);
  }
}

function modelInputComment(mode: CropMode): string {
  return mode === 'pad'
    ? `# The model takes the whole photo, scaled so its longer side is 224 and centred on a grey (${PAD_GREY}) 224 x 224
# square ("fit with padding", as chosen in Kiln; Teachable Machine would centre-crop instead), RGB scaled to
# x / 127 - 1, and outputs one probability per class in CLASS_NAMES order.`
    : `# The model takes the centred square of a photo resized to 224 x 224 RGB and scaled to x / 127 - 1, exactly as
# Teachable Machine does, and outputs one probability per class in CLASS_NAMES order.`;
}

/** train.py's square(): decoding, then the crop mode's geometry (the same as Kiln's ml/crop-geometry.ts). */
function squareFunction(mode: CropMode): string {
  const what = mode === 'pad' ? 'the whole photo fitted into a grey square' : 'the centred square';
  const head = String.raw`def square(data):
    """A photo as Kiln sees it: transparency on white, ${what}, resized (bilinear) to 224 x 224."""
    image = tf.cast(tf.io.decode_image(data, expand_animations=False), tf.float32)
    if image.shape[-1] in (2, 4):
        alpha = image[..., -1:] / 255.0
        image = image[..., :-1] * alpha + 255.0 * (1.0 - alpha)
    if image.shape[-1] == 1:
        image = tf.image.grayscale_to_rgb(image)
    height, width = image.shape[0], image.shape[1]`;
  const geometry =
    mode === 'pad'
      ? String.raw`
    # Fit with padding: the longer side becomes IMAGE_SIZE, the rest is filled with PAD_GREY (about 0 after
    # scaling, so the bars carry no signal); augment() later crops and rotates within this padded square.
    scale = IMAGE_SIZE / max(height, width)
    fitted_height, fitted_width = max(1, round(height * scale)), max(1, round(width * scale))
    image = tf.image.resize(image, (fitted_height, fitted_width), method="bilinear")
    top, left = (IMAGE_SIZE - fitted_height) // 2, (IMAGE_SIZE - fitted_width) // 2
    paddings = [[top, IMAGE_SIZE - fitted_height - top], [left, IMAGE_SIZE - fitted_width - left], [0, 0]]
    image = tf.pad(image, paddings, constant_values=PAD_GREY)`
      : String.raw`
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    image = tf.image.resize(image[top:top + side, left:left + side], (IMAGE_SIZE, IMAGE_SIZE), method="bilinear")`;
  return head + geometry;
}

/** The contents of train.py. */
export function kerasTrainingScript(input: KerasScriptInput): string {
  checkInput(input);
  const s = scriptSettings(input);
  const backbone = scriptBackbone(input.backboneId);
  const name = oneLine(input.projectName);
  const foldsNote =
    s.folds > 0
      ? `\n# Kiln ran ${s.folds}-fold cross-validation for this project; train.py uses a single stratified\n# validation split (--validation-fraction) instead.`
      : '';
  const backboneNote = backbone.note ? `\n# ${backbone.note}` : '';
  const cropMode = input.cropMode ?? 'center';

  return String.raw`#!/usr/bin/env python3
# train.py: trains "${name}" again outside the browser, the way Kiln ${oneLine(input.kilnVersion)} trained it,
# and can carry on from there with a larger backbone or by fine-tuning it.${backboneNote}${foldsNote}
#
# Install (Python 3.9 or newer):
#   pip install tensorflow          # TensorFlow 2.13 or newer; with an NVIDIA GPU: pip install "tensorflow[and-cuda]"
#   pip install tensorflowjs        # optional: only for --tfjs (bringing the model back to the browser)
#
# Run, in the folder that holds this file and data/:
#   python3 train.py                # the settings Kiln used; writes output/model.keras and output/labels.txt
#   python3 train.py --help         # every setting, with the value Kiln used as its default
#   python3 train.py --alpha 1.0 --fine-tune-blocks 3 --tfjs
#
# On Google Colab (Runtime > Change runtime type > GPU; TensorFlow is already installed):
#   from google.colab import files; files.upload()   # choose the zip Kiln exported
#   !unzip -q "*.zip"
#   %cd <the unzipped folder that holds train.py>
#   !python3 train.py --tfjs
#
${modelInputComment(cropMode)}

import argparse
import importlib.util
import json
import math
import os
import sys
import time

PROJECT_NAME = ${pythonString(input.projectName)}
KILN_VERSION = ${pythonString(input.kilnVersion)}
KILN_BACKBONE = ${pythonString(input.backboneId)}
# Output k of the model is CLASS_NAMES[k]; its photos are in data/CLASS_FOLDERS[k]/.
CLASS_NAMES = ${pythonList(input.classes)}
CLASS_FOLDERS = ${pythonList(input.folders)}

# Set for a "Predict a number" project: what the model predicts, its unit and range (else None).
QUANTITY = ${input.quantity ? `{"name": ${pythonString(input.quantity.name)}, "unit": ${pythonString(input.quantity.unit)}, "min": ${pythonFloat(input.quantity.min)}, "max": ${pythonFloat(input.quantity.max)}}` : 'None'}
HUBER_DELTA = ${pythonFloat(HUBER_DELTA)}
CLOSE_SHARE = ${pythonFloat(CLOSE_SHARE)}

IMAGE_SIZE = 224
CROP_MODE = ${pythonString(cropMode)}
PAD_GREY = ${pythonFloat(PAD_GREY)}
ALPHAS = {"mobilenet_v2": (0.35, 0.5, 0.75, 1.0, 1.3, 1.4), "mobilenet_v1": (0.25, 0.5, 0.75, 1.0)}
AUGMENTATIONS = ("flip", "rotate", "crop", "brightness", "contrast", "saturation")
EXTENSIONS = (".jpg", ".jpeg", ".png")
HERE = os.path.dirname(os.path.abspath(__file__))

tf = None  # imported in main(), so that --help works without TensorFlow
np = None


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Trains the image classifier exported from Kiln (PROJECT_NAME in this file). "
                                     "Every default is the setting it had in Kiln.")
    add = parser.add_argument
    add("--data", default=os.path.join(HERE, "data"), help="folder with one sub-folder of photos per class (default: data/ next to train.py)")
    add("--out", default=os.path.join(HERE, "output"), help="where to write the model (default: output/ next to train.py)")
    add("--epochs", type=int, default=${s.epochs}, help="passes over the training photos (default: %(default)s)")
    add("--learning-rate", type=float, default=${pythonFloat(s.learningRate)}, help="(default: %(default)s)")
    add("--batch-size", type=int, default=${s.batchSize}, help="(default: %(default)s)")
    add("--hidden-units", type=int, default=${s.hiddenUnits}, help="units of the head's hidden Dense layer (default: %(default)s)")
    add("--dropout", type=float, default=${pythonFloat(s.dropout)}, help="dropout after the hidden layer (default: %(default)s)")
    add("--l2", type=float, default=${pythonFloat(s.l2)}, help="L2 penalty on the head's two kernels (default: %(default)s)")
    add("--label-smoothing", type=float, default=${pythonFloat(s.labelSmoothing)}, help="(default: %(default)s)")
    add("--loss", choices=("mse", "huber"), default=${pythonString(s.regressionLoss)},
        help="numbers only (QUANTITY): squared error, or Huber's, which a few wrong values pull less (default: %(default)s)")
    add("--optimizer", choices=("adam", "sgd", "rmsprop"), default=${pythonString(s.optimizer)}, help="sgd uses momentum 0.9 (default: %(default)s)")
    add("--validation-fraction", type=float, default=${pythonFloat(s.validationFraction)}, help="share of each class held back to score the model (default: %(default)s)")
    add("--seed", type=int, default=${s.seed}, help="(default: %(default)s)")
    add("--balance", choices=("auto", "on", "off"), default=${pythonString(s.balance)},
        help="class weights n / (classes x count); auto: only when the largest class is more than twice the smallest (default: %(default)s)")
    add("--views", type=int, default=${s.augmentation.views}, help="augmented copies of each training photo per epoch; 0 turns augmentation off (default: %(default)s)")
    add("--augment", default=${pythonString(enabledAugmentations(s))}, help="comma-separated, from " + ",".join(AUGMENTATIONS) + ", or none (default: %(default)s)")
    add("--early-stopping", choices=("on", "off"), default=${pythonString(s.earlyStopping ? 'on' : 'off')},
        help="stop when the validation loss has not improved for --patience epochs, keeping the best epoch's weights (default: %(default)s)")
    add("--patience", type=int, default=${s.patience}, help="(default: %(default)s)")
    add("--backbone", choices=tuple(ALPHAS), default=${pythonString(backbone.family)}, help="(default: %(default)s)")
    add("--alpha", type=float, choices=sorted(set(ALPHAS["mobilenet_v2"] + ALPHAS["mobilenet_v1"])), default=${pythonFloat(backbone.alpha)},
        help="backbone width; larger is slower and usually more accurate. MobileNetV2: 0.35 to 1.4, MobileNet v1: 0.25 to 1.0 (default: %(default)s)")
    add("--fine-tune-blocks", type=int, default=${s.fineTuneBlocks},
        help="MobileNetV2 only: unfreeze the convolutions of its last K inverted-residual blocks (0 to 16) and Conv_1 (default: %(default)s)")
    add("--fine-tune-rate-factor", type=float, default=${pythonFloat(s.fineTuneRateFactor)},
        help="unfrozen backbone layers learn at --learning-rate times this (default: %(default)s)")
    add("--weights", default="imagenet", help="backbone weights: imagenet (downloaded once), a weights file, or none (default: %(default)s)")
    add("--tfjs", action="store_true", help="also write a TensorFlow.js layers model to <out>/tfjs (needs: pip install tensorflowjs)")
    args = parser.parse_args(argv)

    if args.alpha not in ALPHAS[args.backbone]:
        parser.error("--alpha %s is not available for %s; choose one of %s" % (args.alpha, args.backbone, ALPHAS[args.backbone]))
    if args.backbone == "mobilenet_v1" and args.fine_tune_blocks:
        parser.error("--fine-tune-blocks works with MobileNetV2 only (--backbone mobilenet_v2 --alpha 0.35)")
    if not 0 <= args.fine_tune_blocks <= 16:
        parser.error("--fine-tune-blocks must be between 0 and 16")
    if not 0 <= args.validation_fraction < 1:
        parser.error("--validation-fraction must be at least 0 and below 1")
    if args.epochs < 1 or args.batch_size < 1 or args.hidden_units < 1 or args.patience < 1 or args.views < 0:
        parser.error("--epochs, --batch-size, --hidden-units and --patience must be positive, --views at least 0")
    if not 0 <= args.dropout < 1:
        parser.error("--dropout must be at least 0 and below 1")
    chosen = [a.strip() for a in args.augment.split(",") if a.strip() and a.strip() != "none"]
    unknown = [a for a in chosen if a not in AUGMENTATIONS]
    if unknown:
        parser.error("unknown --augment %s; choose from %s" % (",".join(unknown), ",".join(AUGMENTATIONS)))
    args.augment = set(chosen)
    return args


def import_tensorflow(want_tfjs):
    global tf, np
    if want_tfjs and "TF_USE_LEGACY_KERAS" not in os.environ and importlib.util.find_spec("tf_keras"):
        # tensorflowjs converts Keras 2 models; TensorFlow 2.16+ uses Keras 3 unless told to use tf_keras.
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
    try:
        import numpy
        import tensorflow
    except ImportError as error:
        sys.exit("train.py needs TensorFlow 2 (%s). Install it with: pip install tensorflow" % error)
    tf, np = tensorflow, numpy
    if not want_tfjs:
        return None
    try:
        import tensorflowjs
    except ImportError as error:
        sys.exit("--tfjs needs the tensorflowjs package (%s). Install it with: pip install tensorflowjs, or run without --tfjs." % error)
    return tensorflowjs


def warn(message):
    print("warning: " + message, file=sys.stderr)


${squareFunction(cropMode)}
    return tf.cast(tf.clip_by_value(tf.round(image), 0, 255), tf.uint8).numpy()


def load_values(data_dir):
    """A number project's photos (data/photos/) and their values (data/values.csv: file name, value)."""
    import csv
    images, values = [], []
    table = os.path.join(data_dir, "values.csv")
    if not os.path.isfile(table):
        sys.exit("No %s: it should list each photo in data/photos/ with its value." % table)
    with open(table, newline="", encoding="utf-8") as f:
        for row, cells in enumerate(csv.reader(f), start=1):
            if len(cells) < 2 or (row == 1 and cells[1].strip().lower() == "value"):
                continue
            name, text = cells[0].strip(), cells[1].strip()
            try:
                value = float(text)
            except ValueError:
                warn("row %d of values.csv: %r is not a number" % (row, text))
                continue
            if not (math.isfinite(value) and QUANTITY["min"] <= value <= QUANTITY["max"]):
                warn("row %d of values.csv: %s is outside %s to %s" % (row, text, QUANTITY["min"], QUANTITY["max"]))
                continue
            try:
                images.append(square(tf.io.read_file(os.path.join(data_dir, "photos", name))))
                values.append(value)
            except (tf.errors.OpError, ValueError) as error:
                warn("skipped %s: cannot read it (%s)" % (name, str(error).strip().splitlines()[0]))
    if not images:
        sys.exit("No photos with a value found under %s." % data_dir)
    return np.stack(images), np.array(values, dtype=np.float32)


def scaled(values):
    """Values to -1 ... 1 over the range, as Kiln trains (src/ml/regression.ts)."""
    half = (QUANTITY["max"] - QUANTITY["min"]) / 2
    return (values - (QUANTITY["min"] + half)) / half


def value_bands(values, bands=4):
    """Which quarter of the range each value is in: a number's "classes" for the split."""
    width = (QUANTITY["max"] - QUANTITY["min"]) / bands
    return np.clip(np.floor((values - QUANTITY["min"]) / width), 0, bands - 1).astype(np.int32)


def value_scores(predicted, truth, train_mean):
    """MSE, RMSE, MAE and R2 in the quantity's unit, and the RMSE of always answering the training mean."""
    errors = predicted - truth
    mse = float(np.mean(errors ** 2))
    spread = float(np.sum((truth - truth.mean()) ** 2))
    r2 = 1 - float(np.sum(errors ** 2)) / spread if spread > 0 else float("nan")
    baseline = float(np.sqrt(np.mean((truth - train_mean) ** 2)))
    return {"mse": mse, "rmse": math.sqrt(mse), "mae": float(np.mean(np.abs(errors))), "r2": r2, "baseline_rmse": baseline}


def load_photos(data_dir):
    """Every readable photo as 224 x 224 x 3 uint8, with its class index (or, for a number, its value)."""
    if QUANTITY:
        return load_values(data_dir)
    images, labels = [], []
    for label, folder in enumerate(CLASS_FOLDERS):
        path = os.path.join(data_dir, folder)
        if not os.path.isdir(path):
            warn("no folder %s for class %r" % (path, CLASS_NAMES[label]))
            continue
        for file in sorted(os.listdir(path)):
            if not file.lower().endswith(EXTENSIONS):
                continue
            try:
                images.append(square(tf.io.read_file(os.path.join(path, file))))
                labels.append(label)
            except (tf.errors.OpError, ValueError) as error:
                warn("skipped %s: cannot decode it (%s)" % (os.path.join(path, file), str(error).strip().splitlines()[0]))
    if not images:
        sys.exit("No photos found under %s: it should hold the folders %s." % (data_dir, ", ".join(CLASS_FOLDERS)))
    return np.stack(images), np.array(labels, dtype=np.int32)


def preprocess(images):
    """Teachable Machine's scaling: x / 127 - 1."""
    return tf.cast(images, tf.float32) / 127.0 - 1.0


def stratified_split(labels, fraction, seed):
    """Each class gives the same share to validation; a class keeps at least one photo for training (Kiln's rules)."""
    rng = np.random.default_rng(seed)
    train, validation = [], []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        rng.shuffle(members)
        take = math.floor(len(members) * fraction + 0.5)
        if fraction > 0 and take == 0 and len(members) >= 4:
            take = 1
        take = max(0, min(take, len(members) - 1))
        validation.extend(members[:take])
        train.extend(members[take:])
    return np.sort(np.array(train, dtype=np.int64)), np.sort(np.array(validation, dtype=np.int64))


def class_weights(labels, mode):
    """n / (classes x count) per class, or None when weighting is off (or auto finds the classes balanced)."""
    if mode == "off" or QUANTITY:
        return None
    counts = np.bincount(labels, minlength=len(CLASS_NAMES))
    present = counts[counts > 0]
    if mode == "auto" and present.max() <= 2 * present.min():
        return None
    return [float(len(labels) / (len(CLASS_NAMES) * c)) if c else 0.0 for c in counts]


def augment(images, augmented, seed, enabled):
    """
    Kiln's augmentation (src/ml/augment.ts) on a float batch, for the rows where augmented is True: mirror,
    rotation up to 15 degrees scaled to still cover the frame, a crop of 70 to 100% of the side, then
    brightness, contrast and saturation jitter of up to 25%. Geometry is one projective resample per image.
    """
    n = tf.shape(images)[0]
    u = tf.random.stateless_uniform([n, 8], seed=seed)

    def draw(column, low, high, name, identity):
        value = low + (high - low) * u[:, column] if name in enabled else tf.fill([n], identity)
        return tf.where(augmented, value, identity)

    flip = tf.logical_and(augmented, u[:, 0] < 0.5) if "flip" in enabled else tf.zeros([n], tf.bool)
    angle = draw(1, -15.0, 15.0, "rotate", 0.0) * math.pi / 180
    size = draw(2, 0.7, 1.0, "crop", 1.0)
    left, top = u[:, 3] * (1.0 - size), u[:, 4] * (1.0 - size)

    side = float(IMAGE_SIZE)
    cos, sin = tf.cos(angle), tf.sin(angle)
    scale = size / (tf.abs(cos) + tf.abs(sin))  # source pixels per output pixel
    mirror = tf.where(flip, -1.0, 1.0)
    a0, a1 = scale * mirror * cos, scale * mirror * sin
    b0, b1 = -scale * sin, scale * cos
    centre = side / 2 - 0.5
    x0 = (left + size / 2) * side - 0.5
    y0 = (top + size / 2) * side - 0.5
    zeros = tf.zeros([n])
    transforms = tf.stack([a0, a1, x0 - centre * (a0 + a1), b0, b1, y0 - centre * (b0 + b1), zeros, zeros], axis=1)
    images = tf.raw_ops.ImageProjectiveTransformV3(
        images=images, transforms=transforms, output_shape=[IMAGE_SIZE, IMAGE_SIZE],
        fill_value=0.0, interpolation="BILINEAR", fill_mode="REFLECT",
    )

    brightness = draw(5, 0.75, 1.25, "brightness", 1.0)[:, None, None, None]
    contrast = draw(6, 0.75, 1.25, "contrast", 1.0)[:, None, None, None]
    saturation = draw(7, 0.75, 1.25, "saturation", 1.0)[:, None, None, None]
    luma_weights = tf.constant([0.299, 0.587, 0.114])
    mean = tf.reduce_mean(tf.reduce_sum(images * luma_weights, -1), axis=[1, 2])[:, None, None, None] * brightness
    images = images * brightness
    luma = tf.reduce_sum(images * luma_weights, -1, keepdims=True)
    images = luma + (images - luma) * saturation
    images = mean + (images - mean) * contrast
    return tf.clip_by_value(images, 0.0, 255.0)


def build_backbone(args):
    weights = None if args.weights == "none" else args.weights
    application = tf.keras.applications.MobileNetV2 if args.backbone == "mobilenet_v2" else tf.keras.applications.MobileNet
    base = application(input_shape=(IMAGE_SIZE, IMAGE_SIZE, 3), alpha=args.alpha, include_top=False, weights=weights, pooling="avg")
    for layer in base.layers:
        layer.trainable = False
    return base


def unfreeze_last_blocks(base, blocks):
    """
    The convolutions of MobileNetV2's last blocks (block_16, block_15, ...) and of Conv_1, as Kiln does.
    Batch normalisation stays frozen, in inference mode: with a few hundred photos its statistics only get worse.
    """
    if blocks == 0:
        return []
    prefixes = tuple("block_%d_" % n for n in range(17 - blocks, 17))
    convolutions = (tf.keras.layers.Conv2D, tf.keras.layers.DepthwiseConv2D)
    chosen = [layer for layer in base.layers
              if (layer.name.startswith(prefixes) or layer.name == "Conv_1") and isinstance(layer, convolutions)]
    for layer in chosen:
        layer.trainable = True
    return chosen


def make_optimizer(name, learning_rate):
    if name == "sgd":
        return tf.keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9)
    if name == "rmsprop":
        return tf.keras.optimizers.RMSprop(learning_rate=learning_rate)
    return tf.keras.optimizers.Adam(learning_rate=learning_rate)


def regression_loss(error, loss):
    """Per-row loss of scaled errors: squared, or Huber's with Kiln's threshold."""
    if loss == "mse":
        return error ** 2
    near = np.minimum(np.abs(error), HUBER_DELTA)
    return 0.5 * near ** 2 + HUBER_DELTA * (np.abs(error) - near)


def score(probabilities, labels, loss="mse"):
    """Cross-entropy (true labels, no smoothing or weights) and accuracy, as Kiln scores validation; for a number,
    the loss on scaled values and the share within CLOSE_SHARE of the range."""
    if QUANTITY:
        error = probabilities[:, 0] - scaled(labels)
        return float(regression_loss(error, loss).mean()), float((np.abs(error) <= 2 * CLOSE_SHARE + 1e-9).mean())
    p = np.clip(probabilities[np.arange(len(labels)), labels], 1e-7, 1 - 1e-7)
    return float(-np.log(p).mean()), float((probabilities.argmax(-1) == labels).mean())


def main(argv=None):
    args = parse_args(argv)
    tfjs = import_tensorflow(args.tfjs)
    tf.keras.utils.set_random_seed(args.seed)
    num_classes = len(CLASS_NAMES)

    images, labels = load_photos(args.data)
    train_rows, val_rows = stratified_split(value_bands(labels) if QUANTITY else labels, args.validation_fraction, args.seed)
    weights = class_weights(labels[train_rows], args.balance)
    if QUANTITY:
        print("%d photos with a value from %g to %g: %d to train, %d held back" % (
            len(labels), labels.min(), labels.max(), len(train_rows), len(val_rows)))
    else:
        print("%d photos: %d to train, %d held back. Per class: %s" % (
            len(labels), len(train_rows), len(val_rows), ", ".join("%s %d" % (c, n) for c, n in zip(CLASS_NAMES, np.bincount(labels, minlength=num_classes)))))
    if weights:
        print("class weights: " + ", ".join("%.3f" % w for w in weights))

    base = build_backbone(args)
    unfrozen = unfreeze_last_blocks(base, args.fine_tune_blocks)
    hidden = tf.keras.layers.Dense(args.hidden_units, activation="relu", name="hidden")
    dropout = tf.keras.layers.Dropout(args.dropout, seed=args.seed, name="dropout") if args.dropout > 0 else None
    if QUANTITY:
        # One linear output: the value scaled to -1 ... 1 (the saved model scales it back, below).
        classes = tf.keras.layers.Dense(1, use_bias=False, name="value")
    else:
        classes = tf.keras.layers.Dense(num_classes, activation="softmax", use_bias=False, name="classes")

    def head_on(x):
        x = hidden(x)
        return classes(dropout(x) if dropout else x)

    # One flat model, photo in, probabilities out: what is saved, and what Kiln can import as a backbone.
    model = tf.keras.Model(base.input, head_on(base.output), name="kiln_classifier")
    features_in = tf.keras.Input(shape=(base.output.shape[-1],), name="features")
    head = tf.keras.Model(features_in, head_on(features_in), name="head")

    # Kiln caches "views" augmented embeddings per photo; here each epoch draws fresh augmentations instead.
    views = args.views if args.augment else 0
    image_table = tf.constant(images)

    def image_batches(rows, augmented, epoch, batch_size):
        def load(step, batch):
            rows, augmented = batch
            x = tf.cast(tf.gather(image_table, rows), tf.float32)
            if views:
                x = augment(x, augmented, tf.stack([tf.constant(args.seed, tf.int64), epoch * 1000003 + step]), args.augment)
            return preprocess(x), tf.gather(labels, rows)

        dataset = tf.data.Dataset.from_tensor_slices((rows, augmented)).batch(batch_size).enumerate()
        return dataset.map(load, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)

    def probabilities(net, x):
        """Class probabilities with dropout off, for cached features or (None) the held-back photos."""
        if not len(val_rows):
            return None
        if x is not None:
            return net(tf.convert_to_tensor(x), training=False).numpy()
        batches = image_batches(val_rows, np.zeros(len(val_rows), bool), 0, 64)
        return np.concatenate([net(x, training=False).numpy() for x, _ in batches])

    variables = hidden.trainable_variables + classes.trainable_variables
    groups = [(make_optimizer(args.optimizer, args.learning_rate), len(variables))]
    if args.fine_tune_blocks:
        # Two optimizers: the head at the learning rate, the unfrozen backbone layers at rate x factor.
        trained, frozen, features = model, None, None
        tuned = [v for layer in unfrozen for v in layer.trainable_variables]
        variables += tuned
        groups.append((make_optimizer(args.optimizer, args.learning_rate * args.fine_tune_rate_factor), len(tuned)))
        print("fine-tuning the last %d blocks (%d layers) at %g x the learning rate"
              % (args.fine_tune_blocks, len(unfrozen), args.fine_tune_rate_factor))

        def validation():
            return probabilities(model, None)
    else:
        # The backbone is frozen: embed every photo once; only augmented views run it again.
        everything = image_batches(np.arange(len(labels)), np.zeros(len(labels), bool), 0, 64)
        features = np.concatenate([base(x, training=False).numpy() for x, _ in everything])
        trained, frozen = head, (base if views else None)

        def validation():
            return probabilities(head, features[val_rows])

    kernels = [hidden.kernel, classes.kernel]
    row_weights = tf.constant(weights if weights else [1.0] * num_classes, tf.float32)
    smoothing = args.label_smoothing

    @tf.function
    def value_step(x, y):
        """A number's step: MSE or Huber on the scaled value; "right" counts answers within CLOSE_SHARE of the range."""
        if frozen is not None:
            x = frozen(x, training=False)
        half = (QUANTITY["max"] - QUANTITY["min"]) / 2
        target = (tf.cast(y, tf.float32) - (QUANTITY["min"] + half)) / half
        with tf.GradientTape() as tape:
            error = trained(x, training=True)[:, 0] - target
            if args.loss == "mse":
                per_row = tf.square(error)
            else:
                near = tf.minimum(tf.abs(error), HUBER_DELTA)
                per_row = 0.5 * tf.square(near) + HUBER_DELTA * (tf.abs(error) - near)
            loss = tf.reduce_mean(per_row)
            if args.l2 > 0:
                loss += args.l2 * tf.add_n([tf.reduce_sum(tf.square(k)) for k in kernels])
        gradients = tape.gradient(loss, variables)
        start = 0
        for optimizer, count in groups:
            optimizer.apply_gradients(zip(gradients[start:start + count], variables[start:start + count]))
            start += count
        return tf.reduce_sum(per_row), tf.reduce_sum(tf.cast(tf.abs(error) <= 2 * CLOSE_SHARE + 1e-9, tf.float32))

    @tf.function
    def train_step(x, y):
        if frozen is not None:
            x = frozen(x, training=False)
        with tf.GradientTape() as tape:
            p = trained(x, training=True)
            truth = tf.one_hot(y, num_classes)
            target = truth * (1 - smoothing) + smoothing / num_classes
            log_p = tf.math.log(tf.clip_by_value(p, 1e-7, 1 - 1e-7))
            per_row = -tf.reduce_sum(target * log_p, -1)
            loss = tf.reduce_sum(per_row * tf.gather(row_weights, y)) / tf.cast(tf.shape(y)[0], tf.float32)
            if args.l2 > 0:
                loss += args.l2 * tf.add_n([tf.reduce_sum(tf.square(k)) for k in kernels])
        gradients = tape.gradient(loss, variables)
        start = 0
        for optimizer, count in groups:
            optimizer.apply_gradients(zip(gradients[start:start + count], variables[start:start + count]))
            start += count
        right = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(p, -1, output_type=tf.int32), tf.cast(y, tf.int32)), tf.float32))
        return -tf.reduce_sum(truth * log_p), right

    rows = np.repeat(train_rows, views + 1)
    augmented = np.tile([False] + [True] * views, len(train_rows))
    early = args.early_stopping == "on" and len(val_rows) > 0
    if args.early_stopping == "on" and not len(val_rows):
        warn("early stopping needs held-back photos; training all %d epochs" % args.epochs)
    best = (math.inf, 0, None)  # validation loss, epoch, weights
    wait, epoch = 0, 0
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        order = np.random.default_rng([args.seed, epoch]).permutation(len(rows))
        if trained is head and frozen is None:
            picked = (rows[order[i:i + args.batch_size]] for i in range(0, len(order), args.batch_size))
            batches = ((features[batch], labels[batch]) for batch in picked)
        else:
            batches = image_batches(rows[order], augmented[order], epoch, args.batch_size)
        loss_sum = right_sum = 0.0
        for x, y in batches:
            loss, right = (value_step if QUANTITY else train_step)(tf.convert_to_tensor(x), tf.convert_to_tensor(y))
            loss_sum += float(loss)
            right_sum += float(right)
        line = "epoch %d/%d  loss %.4f  accuracy %.4f" % (epoch, args.epochs, loss_sum / len(rows), right_sum / len(rows))
        val_probabilities = validation()
        if val_probabilities is not None:
            val_loss, val_accuracy = score(val_probabilities, labels[val_rows], args.loss)
            line += "  val_loss %.4f  val_accuracy %.4f" % (val_loss, val_accuracy)
            if early:
                if val_loss < best[0] - 1e-6:
                    best, wait = (val_loss, epoch, [v.numpy() for v in variables]), 0
                else:
                    wait += 1
        print(line + "  (%.0fs)" % (time.time() - started), flush=True)
        if early and wait >= args.patience:
            print("early stopping: no better validation loss for %d epochs" % args.patience)
            break
    if early and best[2] is not None and best[1] != epoch:
        for variable, value in zip(variables, best[2]):
            variable.assign(value)
        print("restored the weights of epoch %d, the best validation loss (%.4f)" % (best[1], best[0]))

    val_probabilities = validation()
    if QUANTITY and val_probabilities is not None:
        half = (QUANTITY["max"] - QUANTITY["min"]) / 2
        predicted = val_probabilities[:, 0] * half + QUANTITY["min"] + half
        s = value_scores(predicted, labels[val_rows], float(labels[train_rows].mean()))
        print("on %d held-back photos: RMSE %.4g, MAE %.4g, R2 %.3f; always answering the average: RMSE %.4g %s" % (
            len(val_rows), s["rmse"], s["mae"], s["r2"], s["baseline_rmse"], QUANTITY["unit"]))
    elif val_probabilities is not None:
        truth = labels[val_rows]
        guess = val_probabilities.argmax(-1)
        print("validation accuracy: %.2f%% (%d photos held back)" % (100 * (guess == truth).mean(), len(truth)))
        for k, name in enumerate(CLASS_NAMES):
            if (truth == k).any():
                print("  %s: %d of %d right" % (name, int((guess[truth == k] == k).sum()), int((truth == k).sum())))
    else:
        print("no photos held back, so no validation accuracy (--validation-fraction 0)")

    os.makedirs(args.out, exist_ok=True)
    if QUANTITY:
        # Saved to answer the value itself, in the quantity's unit: value = middle + half the range x output.
        half = (QUANTITY["max"] - QUANTITY["min"]) / 2
        value = tf.keras.layers.Rescaling(half, offset=QUANTITY["min"] + half, name="to_value")(model.output)
        model = tf.keras.Model(model.input, value, name="kiln_number")
    model.save(os.path.join(args.out, "model.keras"))
    with open(os.path.join(args.out, "labels.txt"), "w", encoding="utf-8") as f:
        f.write("".join(" ".join(name.splitlines()) + "\n" for name in CLASS_NAMES))
    print("wrote %s and labels.txt" % os.path.join(args.out, "model.keras"))
    if tfjs:
        target = os.path.join(args.out, "tfjs")
        tfjs.converters.save_keras_model(model, target)
        metadata = {"labels": CLASS_NAMES, "imageSize": IMAGE_SIZE, "modelName": PROJECT_NAME, "kilnVersion": KILN_VERSION,
                    "userMetadata": {"kiln": {"cropMode": CROP_MODE, **({"task": "regression", "quantity": QUANTITY} if QUANTITY else {})}}}
        with open(os.path.join(target, "metadata.json"), "w", encoding="utf-8") as f:
            json.dump(metadata, f, ensure_ascii=False, indent=2)
        print("wrote a TensorFlow.js layers model to %s (model.json, weights, metadata.json)" % target)


if __name__ == "__main__":
    main()
`;
}

/** Text that Markdown shows as written, inside a line or a table cell. */
const escapeMarkdown = (text: string) => oneLine(text).replace(/[\\`*_[\]<>|~&]/g, '\\$&');

/** README.md for the dataset zip. */
export function datasetReadme(input: KerasScriptInput & { photoCounts: number[] }): string {
  checkInput(input);
  if (input.photoCounts.length !== input.classes.length) {
    throw new Error(`${input.classes.length} classes but ${input.photoCounts.length} photo counts.`);
  }
  const s = scriptSettings(input);
  const backbone = scriptBackbone(input.backboneId);
  const total = input.photoCounts.reduce((a, b) => a + b, 0);
  const rows = input.classes.map(
    (name, k) => `| ${escapeMarkdown(name)} | data/${escapeMarkdown(input.folders[k]!)}/ | ${input.photoCounts[k]} |`,
  );
  const augmentation =
    s.augmentation.views > 0
      ? `${s.augmentation.views} views per photo (${enabledAugmentations(s).replaceAll(',', ', ')})`
      : 'off';
  const settings: [string, string, string][] = [
    ['Backbone', `${input.backboneId}`, `--backbone ${backbone.family} --alpha ${backbone.alpha}`],
    ['Epochs', String(s.epochs), '--epochs'],
    ['Learning rate', String(s.learningRate), '--learning-rate'],
    ['Batch size', String(s.batchSize), '--batch-size'],
    ['Hidden units', String(s.hiddenUnits), '--hidden-units'],
    ['Dropout', String(s.dropout), '--dropout'],
    ['L2', String(s.l2), '--l2'],
    ['Label smoothing', String(s.labelSmoothing), '--label-smoothing'],
    ['Optimizer', s.optimizer, '--optimizer'],
    ['Validation fraction', String(s.validationFraction), '--validation-fraction'],
    ['Seed', String(s.seed), '--seed'],
    ['Class weights', s.balance, '--balance'],
    ['Augmentation', augmentation, '--views, --augment'],
    [
      'Fine-tuned blocks',
      s.fineTuneBlocks > 0 ? `${s.fineTuneBlocks} (at ${s.fineTuneRateFactor} × the rate)` : '0 (head only)',
      '--fine-tune-blocks, --fine-tune-rate-factor',
    ],
    ['Early stopping', s.earlyStopping ? `on, patience ${s.patience}` : 'off', '--early-stopping, --patience'],
    ['Cross-validation', s.folds > 0 ? `${s.folds} folds (train.py uses one split)` : 'off', '—'],
  ];
  const notes = [backbone.note, s.folds > 0 ? 'Cross-validation is not part of train.py: it scores one stratified split.' : null]
    .filter((n): n is string => n !== null)
    .map((n) => `> ${escapeMarkdown(n)}\n\n`)
    .join('');
  const larger = backbone.family === 'mobilenet_v1' ? '--backbone mobilenet_v2 --alpha 1.0' : '--alpha 1.0';
  const width = `python3 train.py ${larger} --fine-tune-blocks 3  `.length;

  return `# ${escapeMarkdown(input.projectName)}

Photos and a training script exported from Kiln ${escapeMarkdown(input.kilnVersion)}: everything needed to train this
classifier again with TensorFlow on any computer or cloud GPU, and to carry on with a larger backbone.

## What is here

${
  input.quantity
    ? `- \`data/photos/\`: ${total} photos, and \`data/values.csv\`: each one's ${escapeMarkdown(input.quantity.name)} (from ${input.quantity.min} to ${input.quantity.max}${input.quantity.unit ? ` ${escapeMarkdown(input.quantity.unit)}` : ''}), as given in Kiln.
- \`train.py\`: trains the same model as Kiln: ${backbone.family === 'mobilenet_v1' ? 'MobileNet v1' : 'MobileNetV2'} features, then Dense(hidden, relu) → Dense(1) on the value
  scaled to −1…1 (loss: \`--loss\`), and saves a model that answers the value itself.`
    : `- \`data/\`: ${total} photos, one folder per class (table below), as stored in Kiln.
- \`train.py\`: trains the same model as Kiln: ${backbone.family === 'mobilenet_v1' ? 'MobileNet v1' : 'MobileNetV2'} features, then Dense(hidden, relu) → Dense(classes, softmax).
  The class names and their order are written inside it (\`CLASS_NAMES\`), so renaming folders does not reorder them.`
}
- \`README.md\`: this file.

| Class | Folder | Photos |
| --- | --- | ---: |
${rows.join('\n')}

## Settings used in Kiln

train.py uses these as its defaults; each has a flag to change it (\`python3 train.py --help\` lists them).

| Setting | In Kiln | train.py flag |
| --- | --- | --- |
${settings.map(([label, value, flag]) => `| ${label} | ${escapeMarkdown(value)} | ${flag === '—' ? flag : `\`${flag}\``} |`).join('\n')}

${notes}## Train it

\`\`\`sh
pip install tensorflow
python3 train.py
\`\`\`

It prints the loss and accuracy of every epoch and the validation accuracy at the end, and writes
\`output/model.keras\` and \`output/labels.txt\`. On Google Colab, upload the zip, unzip it, \`%cd\` into this
folder and run \`!python3 train.py\` (choose a GPU runtime to make it faster). Numbers can differ slightly from
Kiln's: augmentation is drawn afresh every epoch here instead of cached, and the random draws differ.

## Continue with a larger backbone

\`\`\`sh
${`python3 train.py ${larger}`.padEnd(width)}# a wider MobileNetV2: 0.35, 0.5, 0.75, 1.0, 1.3 or 1.4
${`python3 train.py ${larger} --fine-tune-blocks 3`.padEnd(width)}# also let its last 3 blocks learn, at ${s.fineTuneRateFactor} × the rate
\`\`\`

Larger backbones and fine-tuning train much faster on a GPU (a Colab GPU runtime will do).

## Bring the model back

\`\`\`sh
pip install tensorflowjs
python3 train.py --tfjs
\`\`\`

\`output/tfjs/\` then holds a TensorFlow.js layers model (\`model.json\` and its weights) and \`metadata.json\` with the
labels. Load it with \`tf.loadLayersModel\`: it takes ${input.cropMode === 'pad' ? 'the whole photo fitted into a grey 224 × 224 RGB square (fit with padding)' : 'a 224 × 224 RGB centre crop'} scaled to x / 127 − 1 and returns
one probability per class, in the order above (\`labels.txt\`). To reuse a larger or fine-tuned backbone in Kiln,
add \`model.json\` with its weights as your own image model (scaling −1 to 1, cut at \`out_relu\` as Kiln suggests)
and train new heads on its features there.
`;
}
