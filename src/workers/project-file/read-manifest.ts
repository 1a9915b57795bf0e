/**
 * manifest.json, read and checked against the schemas (manifest.ts), or the refusal that says what is wrong with it.
 * A failed check reads as before the schemas existed: "The project file is damaged: the name of class 2 is missing
 * or not text. …"; the place ("the name of class 2") comes from the failure's path, below.
 */
import * as v from 'valibot';
import { cleanName } from '../../shared/names';
import {
  kilnManifestSchema,
  knownVersionSchema,
  manifestSchema,
  newerVersionSchema,
  photoName,
  type CheckedManifest,
} from './manifest';
import { damaged, ProjectFileError, unknownCropMode } from './refusals';

/** A name from the file as Kiln would store it, or nothing when it is not text. */
const textName = (value: unknown) => (typeof value === 'string' ? cleanName(value) : '');

export function readManifest(bytes: Uint8Array): CheckedManifest {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw damaged('its manifest.json is not valid JSON');
  }
  if (!v.is(kilnManifestSchema, json)) {
    throw new ProjectFileError(
      'projectFile.notKiln',
      'The project file is not a Kiln project file: its manifest.json is for something else. Choose a .kiln.zip file that Kiln exported.',
    );
  }
  const version = json.version;
  if (v.is(newerVersionSchema, version)) {
    // The file names the Kiln that wrote it ("Kiln 0.3.0"): that one, or a later one, opens it.
    const app = (json as { app?: unknown }).app;
    if (typeof app === 'string' && /^Kiln \S{1,40}$/.test(app)) {
      throw new ProjectFileError(
        'projectFile.newerVersionFrom',
        `The project file was made by ${app}, a newer Kiln than this one (format version ${version}). Update Kiln (reload the page when online) and try again.`,
        { version, app },
      );
    }
    throw new ProjectFileError(
      'projectFile.newerVersion',
      `The project file was made by a newer Kiln (format version ${version}). Update Kiln (reload the page when online) and try again.`,
      { version },
    );
  }
  if (!v.is(knownVersionSchema, version)) {
    const shown = JSON.stringify(version) ?? 'none';
    throw new ProjectFileError(
      'projectFile.unknownVersion',
      `The project file has an unknown format version (${shown}), so it may be damaged. Export the project from Kiln again.`,
      { version: shown },
    );
  }
  const result = v.safeParse(manifestSchema, json, { abortEarly: true });
  if (!result.success) throw refusal(result.issues[0]);
  return result.output;
}

/** The refusal for the schemas' (first) failure. */
export function refusal(issue: v.BaseIssue<unknown>): ProjectFileError {
  const path = issue.path ?? [];
  const keys = path.map((item) => item.key);
  if (keys.at(-1) === 'cropMode') {
    return unknownCropMode(issue.input, keys[0] === 'runs' ? `for training ${Number(keys[1]) + 1}` : 'for the project');
  }
  return damaged(`${place(path, issue.type === 'check')} ${issue.message}`);
}

type Path = readonly v.IssuePathItem[];
type Depth<T> = (depth: number) => T;
type Field = (depth: number, name: string) => unknown;

/**
 * Where in the manifest a failure is, in words: "the name of class 2", "the shape of weight "dense/kernel" of the
 * model of training 1". `checked`: the failure is a check of a whole object (a weight's type, a layer's offsets),
 * which names the object by its name rather than its number.
 */
function place(path: Path, checked: boolean): string {
  const keys = path.map((item) => item.key);
  const pattern = keys.map((k) => (typeof k === 'number' ? '#' : String(k))).join('.');
  /** The 1-based number of the list item at `depth`. */
  const n = (depth: number) => Number(keys[depth]) + 1;
  /** A field of the object that holds the key at `depth`. */
  const field = (depth: number, name: string) => (path[depth]!.input as Record<string, unknown>)[name];
  /** A field of the list item at `depth`. */
  const itemField = (depth: number, name: string) => (path[depth]!.value as Record<string, unknown>)[name];

  switch (pattern) {
    case 'project':
      return 'the project';
    case 'classes':
      return 'the list of classes';
    case 'classes.#':
      return `class ${n(1)}`;
    case 'classes.#.name':
      return `the name of class ${n(1)}`;
    case 'classes.#.id':
      return `the id of class "${textName(field(2, 'name'))}"`;
    case 'classes.#.folder':
      return `the folder of class "${textName(field(2, 'name'))}"`;
    case 'photos':
    case 'samples':
      return 'the list of photos';
    case 'photos.#':
    case 'samples.#':
      return `photo ${n(1)}`;
    case 'photos.#.file':
      return `the file name of photo ${n(1)}`;
    case 'samples.#.id':
      return `the id of photo "${photoName(field(2, 'name'), n(1) - 1)}"`;
    case 'samples.#.image':
      return `the file name of the photo "${photoName(field(2, 'name'), n(1) - 1)}"`;
    case 'samples.#.thumb':
      return `the file name of the thumbnail of "${photoName(field(2, 'name'), n(1) - 1)}"`;
    case 'runs':
      return 'the list of trainings';
    case 'runs.#':
      return `training ${n(1)}`;
    case 'models':
      return 'the list of models';
    case 'models.#':
      return `model ${n(1)}`;
    case 'models.#.runId':
      return `the training of model ${n(1)}`;
  }
  if (pattern.startsWith('runs.#.')) return runPlace(pattern.slice('runs.#.'.length), `training ${n(1)}`, n);
  if (pattern.startsWith('models.#.')) {
    const what = `the model of training ${trainingOfModel(path)}`;
    return modelPlace(pattern.slice('models.#.'.length), what, { n, field, itemField }, checked);
  }
  return `"${keys.join('.')}"`;
}

/** Within a training (`what`: "training 2"; runs still running do not count). */
function runPlace(pattern: string, what: string, n: Depth<number>): string {
  if (pattern.startsWith('validationPredictions')) return `the validation answers of ${what}`;
  if (pattern.startsWith('testPredictions')) return `the test answers of ${what}`;
  switch (pattern) {
    case 'id':
      return `the id of ${what}`;
    case 'status':
      return what;
    case 'backboneId':
      return `the backbone of ${what}`;
    case 'createdAt':
      return `the date of ${what}`;
    case 'split':
      return `the photo split of ${what}`;
    case 'split.train':
      return `the training photos of ${what}`;
    case 'split.validation':
      return `the validation photos of ${what}`;
    case 'classes':
      return `the classes of ${what}`;
    case 'classes.#':
      return `class ${n(3)} of ${what}`;
    case 'classes.#.id':
      return `the id of class ${n(3)} of ${what}`;
    case 'metrics':
      return `the results of ${what}`;
    case 'metrics.confusion':
      return `the confusion matrix of ${what}`;
    case 'curves':
      return `the curves of ${what}`;
  }
  return `"${pattern}" of ${what}`;
}

/** Within a model (`what`: "the model of training 1"). */
function modelPlace(
  pattern: string,
  what: string,
  { n, field, itemField }: { n: Depth<number>; field: Field; itemField: Field },
  checked: boolean,
): string {
  const fineTuned = `the fine-tuned layers of ${what}`;
  switch (pattern) {
    case 'head':
      return `the head of ${what}`;
    case 'head.topology':
      return `the file name of the layers of ${what}`;
    case 'head.weights':
      return `the file name of the weights of ${what}`;
    case 'head.weightSpecs':
      return `the weight list of ${what}`;
    case 'head.weightSpecs.#':
      return checked ? `weight "${String(itemField(4, 'name'))}" of ${what}` : `weight ${n(4)} of ${what}`;
    case 'head.weightSpecs.#.name':
      return `the name of weight ${n(4)} of ${what}`;
    case 'head.weightSpecs.#.shape':
      return `the shape of weight "${String(field(5, 'name'))}" of ${what}`;
    case 'head.weightSpecs.#.dtype':
      return `the type of weight "${String(field(5, 'name'))}" of ${what}`;
    case 'backbone':
      return fineTuned;
    case 'backbone.weights':
      return `the file name of ${fineTuned}`;
    case 'backbone.layers':
      return `the layer list of ${fineTuned}`;
    case 'backbone.layers.#':
      return checked ? `layer "${String(itemField(4, 'layer'))}" of ${fineTuned}` : `layer ${n(4)} of ${fineTuned}`;
    case 'backbone.layers.#.layer':
      return `the name of layer ${n(4)} of ${fineTuned}`;
    case 'backbone.layers.#.shapes':
    case 'backbone.layers.#.shapes.#':
      return `${pattern.endsWith('#') ? 'a shape' : 'the shapes'} of layer "${String(field(5, 'layer'))}"`;
    case 'backbone.layers.#.offsets':
      return `the offsets of layer "${String(field(5, 'layer'))}"`;
  }
  return `"${pattern}" of ${what}`;
}

/** The number of the training a model belongs to, among those written (runs still running do not count). */
function trainingOfModel(path: Path): number {
  const manifest = path[0]!.input as Record<string, unknown>;
  const model = path[1]!.value as Record<string, unknown>;
  const runs = Array.isArray(manifest.runs) ? (manifest.runs as Record<string, unknown>[]) : [];
  return runs.filter((r) => r.status !== 'running').findIndex((r) => r.id === model.runId) + 1;
}
