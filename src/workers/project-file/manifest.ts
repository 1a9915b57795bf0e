/**
 * manifest.json: what Kiln writes (the Manifest* types, version 2) and what it accepts (valibot schemas for
 * versions 1 and 2, from which the Checked* types are inferred). See docs/PROJECT-FILE.md.
 *
 * The schemas check the manifest on its own: each required field is there and of the right kind, numbers and
 * shapes are in range, optional fields are normalised (a value that is unusable reads as missing). What needs the
 * rest of the file (the entries it names, ids it refers to, weight sizes) is checked while reading it (import.ts).
 *
 * Every failure message is the end of a refusal's sentence ("is missing or not text"); read-manifest.ts puts the
 * place in the file before it ("the name of class 2") and makes the refusal.
 */
import * as v from 'valibot';
import { CROP_MODES } from '../../api/crop-mode';
import type { TrainingSettings } from '../../api/settings';
import {
  BACKEND_NAMES,
  type CrossValidationSummary,
  type ImportedModelInfo,
  type ProjectRecord,
  type RunRecord,
  type SampleRecord,
  type SampleSource,
  type SerializedModel,
} from '../../api/types';
import type { PackBackboneManifest } from '../classroom-pack';
import { cleanName } from '../../shared/names';
import { bytesPerValue } from '../../ml/finite-weights';
import type { Quantity } from '../../ml/regression';

export const PROJECT_FILE_FORMAT = 'kiln-project';
export const PROJECT_FILE_VERSION = 2;

// ---------------------------------------------------------------------------------------------------------------
// What Kiln writes (version 2)

export interface ManifestClass {
  id: string;
  name: string;
  order: number;
  createdAt: number;
  folder: string;
}

/** A photo as the manifest lists it: the stored record's fields, with its image and thumbnail as paths in the zip. */
export interface ManifestSample extends Omit<SampleRecord, 'projectId' | 'image' | 'thumb' | 'testOnly' | 'stats'> {
  image: string;
  thumb: string;
  testOnly?: true;
}

export interface ManifestLayer {
  layer: string;
  shapes: number[][];
  /** Byte offset of each tensor in backbone.bin. */
  offsets: number[];
}

export interface ManifestModel {
  runId: string;
  epoch: number;
  createdAt: number;
  head: { topology: string; weights: string; weightSpecs: SerializedModel['weightSpecs'] };
  backbone: { weights: string; layers: ManifestLayer[] } | null;
}

export interface ManifestV2 {
  format: typeof PROJECT_FILE_FORMAT;
  version: 2;
  exportedAt: string;
  app: string;
  project: {
    id: string;
    name: string;
    createdAt: number;
    updatedAt: number;
    backboneId: string;
    cropMode: ProjectRecord['cropMode'];
    settings: ProjectRecord['settings'] | null;
    activeRunId: string | null;
    continueFromRunId: string | null;
    /** A "Predict a number" project's quantity (docs/REGRESSION.md); absent in files of classification projects. */
    quantity?: Quantity;
  };
  classes: ManifestClass[];
  samples: ManifestSample[];
  runs: RunRecord[];
  models: ManifestModel[];
  /** Only in a classroom pack: the project's image model, carried along (see classroom-pack.ts). */
  backbone?: PackBackboneManifest;
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

const NOT_OBJECT = 'is missing or not an object';
const NOT_LIST = 'is missing or not a list';
const NOT_TEXT = 'is missing or not text';
const NOT_NUMBER = 'is missing or not a number';
const NOT_DATE = 'is not a date';
const NOT_FITTING = "do not fit the training's photos and classes";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (x: unknown): x is string => typeof x === 'string';
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isProbability = (x: unknown): x is number => typeof x === 'number' && x >= 0 && x <= 1;
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * An object's fields, in the order they are checked; unknown fields are kept. A required field that is missing
 * fails with its own schema's message, as one of the wrong kind does.
 */
function fields<const E extends v.ObjectEntries>(entries: E) {
  return v.looseObject(entries, (issue) => {
    const key = issue.path?.at(-1)?.key;
    const entry = (typeof key === 'string' ? entries[key] : undefined) as { message?: unknown } | undefined;
    return typeof entry?.message === 'string' ? entry.message : NOT_OBJECT;
  });
}

/** An object (not a list, not null) with these fields. */
function record<const E extends v.ObjectEntries>(entries: E) {
  return v.pipe(v.custom<Record<string, unknown>>(isRecord, NOT_OBJECT), fields(entries));
}

function list<const T extends v.GenericSchema>(item: T) {
  return v.array(item, NOT_LIST);
}

const anyList = list(v.unknown());

/** A list whose items are all `T`; `message` when one is not. */
function listOf<T>(is: (x: unknown) => x is T, message: string) {
  return v.pipe(
    anyList,
    v.check((items) => items.every(is), message),
    v.transform((items) => items as T[]),
  );
}

const text = v.pipe(v.string(NOT_TEXT), v.nonEmpty(NOT_TEXT));
const finite = v.pipe(v.number(NOT_NUMBER), v.finite(NOT_NUMBER));
/** The last moment a JavaScript Date can hold: a later "date" cannot be shown ("Invalid time value"). */
const LAST_DATE = 8.64e15;
/** A moment in milliseconds since 1970 that a Date can hold. */
const date = v.pipe(finite, v.minValue(0, NOT_DATE), v.maxValue(LAST_DATE, NOT_DATE));
const shape = listOf(isCount, 'is not a shape');

/** An optional field: missing, or unusable, reads as undefined. */
function maybe<const T extends v.GenericSchema>(schema: T) {
  return v.fallback(v.optional(schema), undefined);
}

const maybeNumber = maybe(finite);
/** A date that is missing or cannot be one reads as undefined: the import's own time is used. */
const maybeDate = maybe(date);
const maybeText = maybe(text);
const maybeString = maybe(v.string());
const maybeSettings = maybe(v.custom<Partial<TrainingSettings>>(isRecord));
/** A count or size: a whole number, 0 when missing or unusable. */
const size = v.fallback(v.pipe(v.number(), v.finite(), v.minValue(0), v.transform(Math.round)), 0);
const source = v.fallback(v.picklist(['file', 'webcam'] as const satisfies readonly SampleSource[]), 'file');
/** Files from before the choice existed were all centre-cropped. */
const cropMode = v.nullish(v.picklist(CROP_MODES), 'center');
/** A class name, cleaned up; refused when nothing is left. */
const className = v.pipe(
  text,
  v.transform((name) => cleanName(name)),
  v.nonEmpty('is empty'),
);

/** A "Predict a number" project's quantity: a name, a unit (possibly empty) and a range, the smallest first. */
const quantity = v.pipe(
  record({ name: className, unit: v.fallback(v.string(), ''), min: finite, max: finite }),
  v.check((q) => q.min < q.max, 'has a range whose smallest value is not below its largest'),
  v.transform((q): Quantity => ({ name: q.name, unit: q.unit.slice(0, 40), min: q.min, max: q.max })),
);

/** The name a version-2 photo is called by in refusals. */
export function photoName(name: unknown, index: number): string {
  return typeof name === 'string' && name ? name : `photo ${index + 1}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Version 1

const manifestV1Schema = fields({
  format: v.literal(PROJECT_FILE_FORMAT),
  version: v.literal(1),
  project: record({ name: maybeString, settings: maybeSettings, backboneId: maybeText }),
  classes: list(record({ name: className, folder: text })),
  photos: list(
    record({
      file: text,
      name: maybeText,
      class: maybeString,
      source,
      addedAt: maybeDate,
      width: size,
      height: size,
      originalWidth: size,
      originalHeight: size,
    }),
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// Version 2

const classV2 = record({ name: className, id: text, order: maybeNumber, createdAt: maybeDate });

const sampleV2 = record({
  name: maybeText,
  classId: maybeString,
  image: text,
  thumb: text,
  id: text,
  hash: maybeText,
  source,
  addedAt: maybeDate,
  width: size,
  height: size,
  originalWidth: size,
  originalHeight: size,
  testOnly: maybe(v.literal(true)),
  /** A "Predict a number" project's value for the photo (checked against its range when read). */
  value: maybeNumber,
});

/** A run's answers on a set of photos; that they fit its classes is checked with the run (runs.ts). */
const answers = v.nullable(
  record({
    sampleIds: listOf(isString, NOT_FITTING),
    truth: listOf(isCount, NOT_FITTING),
    probabilities: listOf(isProbability, NOT_FITTING),
  }),
);

/** A "Predict a number" run's answers: each photo's true and predicted value (numbers in its unit). */
const valueAnswers = v.nullable(
  record({
    sampleIds: listOf(isString, NOT_FITTING),
    truth: listOf(isFiniteNumber, NOT_FITTING),
    probabilities: listOf(isFiniteNumber, NOT_FITTING),
  }),
);

/** A "Predict a number" run's scores; unusable ones read as missing. */
const regressionScores = maybe(
  record({
    count: size,
    mse: finite,
    rmse: finite,
    mae: finite,
    r2: v.fallback(v.nullable(finite), null),
    baselineRmse: v.fallback(v.nullable(finite), null),
  }),
);

const photoIds = listOf(isString, 'are not photo ids');

/** A classifier's answers: class indices and probabilities (a number run's are values, so only the list shape is checked first). */
const classAnswers = (set: { truth: number[]; probabilities: number[] } | null | undefined) =>
  !set || (set.truth.every(isCount) && set.probabilities.every(isProbability));

const runRecord = record({
  id: text,
  split: record({ train: photoIds, validation: photoIds }),
  classes: list(record({ id: text, name: v.fallback(v.string(), ''), count: size })),
  metrics: record({
    trainCount: size,
    validationCount: size,
    validationAccuracy: v.fallback(v.nullable(v.pipe(v.number(), v.minValue(0), v.maxValue(1))), null),
    confusion: v.nullish(anyList, []),
    regression: regressionScores,
  }),
  status: v.picklist(['completed', 'stopped'], 'has an unknown status'),
  backboneId: text,
  createdAt: date,
  curves: v.nullish(anyList, []),
  cropMode: v.optional(cropMode),
  // A number run's answers are values, a classifier's class indices and probabilities (runs.ts checks which).
  validationPredictions: v.optional(v.union([answers, valueAnswers], NOT_FITTING)),
  testPredictions: v.optional(v.union([answers, valueAnswers], NOT_FITTING)),
  quantity: v.optional(v.fallback(v.nullable(quantity), null)),
  trainMean: maybeNumber,
  durationMs: size,
  backboneName: maybeString,
  backend: v.fallback(v.picklist(BACKEND_NAMES), 'cpu'),
  settings: maybeSettings,
  finalEpoch: v.fallback(finite, 0),
  earlyStopped: v.fallback(v.boolean(), false),
  classWeights: v.fallback(v.nullable(v.custom<number[]>(Array.isArray)), null),
  crossValidation: v.fallback(v.nullable(v.custom<CrossValidationSummary>(isRecord)), null),
  fineTunedBlocks: size,
  embeddings: v.fallback(record({ computed: size, reused: size }), { computed: 0, reused: 0 }),
  startedFrom: v.optional(v.fallback(v.nullable(v.string()), null)),
  imported: v.optional(v.fallback(v.nullable(v.custom<ImportedModelInfo>(isRecord)), null)),
});

const run = v.pipe(
  runRecord,
  v.forward(
    v.check((r) => r.quantity != null || classAnswers(r.validationPredictions), NOT_FITTING),
    ['validationPredictions'],
  ),
  v.forward(
    v.check((r) => r.quantity != null || classAnswers(r.testPredictions), NOT_FITTING),
    ['testPredictions'],
  ),
);

/** Bytes per value of a weight's type, null for a type the file may not use. */
export const bytesPerElement = bytesPerValue;

/** The type a weight's values are stored in: its quantization's, when it is quantized. */
export function storedType(spec: { dtype: string; quantization?: unknown }): string {
  return isRecord(spec.quantization) && typeof spec.quantization.dtype === 'string' ? spec.quantization.dtype : spec.dtype;
}

const weightSpec = v.pipe(
  record({ name: text, shape, dtype: text }),
  v.check(
    (spec) => bytesPerElement(storedType(spec)) !== null,
    (issue) => `has an unknown type (${storedType(issue.input)})`,
  ),
);

const fineTunedLayer = v.pipe(
  record({ layer: text, shapes: list(shape), offsets: anyList }),
  v.check(
    (l) => l.offsets.length === l.shapes.length,
    (issue) => `has ${issue.input.shapes.length} shapes but ${issue.input.offsets.length} offsets`,
  ),
);

const model = record({
  runId: text,
  createdAt: maybeDate,
  epoch: maybeNumber,
  head: record({ topology: text, weights: text, weightSpecs: list(weightSpec) }),
  backbone: v.nullish(record({ weights: text, layers: list(fineTunedLayer) }), null),
});

/** Runs still training when the file was written are left out (Kiln never writes them). */
const finished = (runs: Record<string, unknown>[]) => runs.filter((r) => r.status !== 'running');

const manifestV2Schema = fields({
  format: v.literal(PROJECT_FILE_FORMAT),
  version: v.literal(2),
  project: record({
    name: maybeString,
    createdAt: maybeDate,
    backboneId: maybeText,
    settings: maybeSettings,
    activeRunId: maybeString,
    continueFromRunId: maybeString,
    cropMode,
    quantity: v.optional(v.nullable(quantity)),
  }),
  classes: list(classV2),
  samples: list(sampleV2),
  runs: v.nullish(v.pipe(list(v.custom<Record<string, unknown>>(isRecord, NOT_OBJECT)), v.transform(finished), list(run)), []),
  models: v.nullish(list(model), []),
  /** A classroom pack's image model: checked by classroom-pack.ts. */
  backbone: v.optional(v.unknown()),
});

// ---------------------------------------------------------------------------------------------------------------
// Any version

/** The manifest of a project file, by its version. */
export const manifestSchema = v.variant('version', [manifestV1Schema, manifestV2Schema]);

export type CheckedManifest = v.InferOutput<typeof manifestSchema>;
export type CheckedV1 = v.InferOutput<typeof manifestV1Schema>;
export type CheckedV2 = v.InferOutput<typeof manifestV2Schema>;
export type CheckedRun = v.InferOutput<typeof run>;
export type CheckedAnswers = NonNullable<v.InferOutput<typeof answers>>;
export type CheckedModel = v.InferOutput<typeof model>;

/** The format and version, checked before the rest. */
export const kilnManifestSchema = v.looseObject({ format: v.literal(PROJECT_FILE_FORMAT) });
export const newerVersionSchema = v.pipe(v.number(), v.integer(), v.minValue(PROJECT_FILE_VERSION + 1));
export const knownVersionSchema = v.picklist([1, 2]);
