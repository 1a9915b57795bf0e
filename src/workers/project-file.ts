/**
 * The whole-project file (`<name>.kiln.zip`): a project's photos, classes, settings, finished runs and their models,
 * to move a project to another browser or keep a backup. See docs/PROJECT-FILE.md.
 *
 * Version 2 (what Kiln writes):
 *   manifest.json   { format: 'kiln-project', version: 2, exportedAt, app: 'Kiln 0.1.0',
 *                     project: { id, name, createdAt, updatedAt, backboneId, cropMode ('center' | 'pad';
 *                                missing: 'center'), settings, activeRunId,
 *                                continueFromRunId },
 *                     classes: [{ id, name, order, createdAt, folder }],
 *                     samples: [{ id, classId, hash, name, source, addedAt, width, height, originalWidth,
 *                                 originalHeight, image: 'photos/<folder>/<id>.jpg', thumb: 'thumbs/<id>.jpg' }],
 *                     runs: RunRecord[] (as stored, JSON; runs still 'running' are left out),
 *                     models: [{ runId, epoch, createdAt,
 *                                head: { topology: 'models/<runId>/head.json', weights: 'models/<runId>/head.bin',
 *                                        weightSpecs },
 *                                backbone: null | { weights: 'models/<runId>/backbone.bin',
 *                                                   layers: [{ layer, shapes: number[][], offsets: number[] }] } }] }
 *   photos/<folder>/<sample id>.jpg   the stored (downscaled) JPEG, byte for byte; <folder> from safeFolderName
 *   thumbs/<sample id>.jpg            the stored thumbnail
 *   models/<run id>/head.json         the head's tfjs layers topology (SerializedModel.modelTopology)
 *   models/<run id>/head.bin          its weights (SerializedModel.weightData), described by weightSpecs
 *   models/<run id>/backbone.bin      fine-tuned backbone layers: every layer's float32 tensors, one after the other;
 *                                     `offsets` are byte offsets into this file, sizes follow from `shapes`
 *   Only finished models are written (checkpoints whose `resume` is null, of runs that are not 'running'): the
 *   mid-training resume state never leaves the device.
 *   A classroom pack is a version-2 file with a `backbone` entry and a backbone/ folder: see classroom-pack.ts.
 *
 * Version 1 (the first format: photos and settings, no runs or models), still read:
 *   manifest.json   { format: 'kiln-project', version: 1, project: { name, settings, backboneId? },
 *                     classes: [{ name, folder }],
 *                     photos: [{ class: <folder>, file: 'photos/<folder>/<name>', name, addedAt?, source?,
 *                                width?, height?, originalWidth?, originalHeight? }] }
 *   Class order is the order of `classes`. Sizes missing from the manifest are stored as 0, the hash is the SHA-256
 *   of the photo's bytes and the thumbnail is the photo itself.
 *
 * Importing always makes a NEW project: every id (project, classes, photos, runs) is new and every reference to
 * one is remapped. The whole file is read, checked and converted before anything is written, then one transaction
 * (putProjectBundle) writes it: a refused or failed import changes nothing.
 */
import { catalogueBackbone, DEFAULT_BACKBONE } from '../ml/backbone-catalogue';
import { isCropMode } from '../api/crop-mode';
import { sha256Hex } from '../shared/hash';
import { normalizeSettings, type TrainingSettings } from '../api/settings';
import {
  BACKEND_NAMES,
  type BackendName,
  type CheckpointRecord,
  type ClassRecord,
  type CropMode,
  type LayerWeights,
  type PredictionSet,
  type ProjectRecord,
  type RunRecord,
  type SampleRecord,
  type SampleSource,
  type SerializedModel,
} from '../api/types';
import { readZip, writeZip } from '../shared/zip';
import type { KilnDB } from '../storage/db';
import { getCachedBackbone } from '../storage/backbones';
import { listProjects, putProjectBundle, type ProjectBundle } from '../storage/projects';
import { packBackbone, PackError, readPackBackbone, type PackBackbone, type PackBackboneManifest } from './classroom-pack';
import { fileStem } from './file-names';
import { KILN_VERSION } from '../shared/version';
import { UserError } from '../api/user-message';

export const PROJECT_FILE_FORMAT = 'kiln-project';
export const PROJECT_FILE_VERSION = 2;
const APP = `Kiln ${KILN_VERSION}`;
const MANIFEST = 'manifest.json';
const NAME_LIMIT = 80;

export class ProjectFileError extends UserError {
  override name = 'ProjectFileError';
}

// ---------------------------------------------------------------------------------------------------------------
// Names

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const FOLDER_LIMIT = 64;

/**
 * A folder name for a class (or any label) that every common file system accepts: no path separators, control
 * characters or Windows-reserved characters and names, no leading or trailing dots and spaces, at most 64
 * characters, never empty. With `taken` (names already used), the result also differs from each of them ignoring
 * case (so it survives case-insensitive file systems), by a "-2", "-3"… suffix, and is added to `taken`.
 */
export function safeFolderName(name: string, taken?: Set<string>): string {
  let base = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  base = Array.from(base)
    .slice(0, FOLDER_LIMIT)
    .join('')
    .replace(/[\s.]+$/, '');
  if (!base) base = 'class';
  if (WINDOWS_RESERVED.test(base)) base = `${base}_`;
  if (!taken) return base;
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  let candidate = base;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
  taken.add(candidate);
  return candidate;
}

/** The file name of a classroom pack: like a project file's, with "-classroom" before ".kiln.zip". */
export function classroomPackFileName(projectName: string): string {
  return `${fileStem(projectName)}-classroom.kiln.zip`;
}

/** The file name of a project's export: letters, digits and dashes, then ".kiln.zip". */
export function projectFileName(projectName: string): string {
  return `${fileStem(projectName)}.kiln.zip`;
}

/** An id as a path segment: ids Kiln makes are UUIDs; anything else gets a stand-in, unique within `used`. */
function pathSegment(id: string, fallback: string, used: Set<string>): string {
  let segment = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : fallback;
  for (let n = 2; used.has(segment.toLowerCase()); n++) segment = `${fallback}-${n}`;
  used.add(segment.toLowerCase());
  return segment;
}

// ---------------------------------------------------------------------------------------------------------------
// Manifest shapes (version 2)

interface ManifestClass {
  id: string;
  name: string;
  order: number;
  createdAt: number;
  folder: string;
}

interface ManifestSample {
  id: string;
  classId: string;
  hash: string;
  name: string;
  source: SampleSource;
  addedAt: number;
  width: number;
  height: number;
  originalWidth: number;
  originalHeight: number;
  image: string;
  thumb: string;
}

interface ManifestLayer {
  layer: string;
  shapes: number[][];
  /** Byte offset of each tensor in backbone.bin. */
  offsets: number[];
}

interface ManifestModel {
  runId: string;
  epoch: number;
  createdAt: number;
  head: { topology: string; weights: string; weightSpecs: SerializedModel['weightSpecs'] };
  backbone: { weights: string; layers: ManifestLayer[] } | null;
}

interface ManifestV2 {
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
  };
  classes: ManifestClass[];
  samples: ManifestSample[];
  runs: RunRecord[];
  models: ManifestModel[];
  /** Only in a classroom pack: the project's image model, carried along (see classroom-pack.ts). */
  backbone?: PackBackboneManifest;
}

// ---------------------------------------------------------------------------------------------------------------
// Export

const encoder = new TextEncoder();

function bytesOf(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  return buffer instanceof ArrayBuffer
    ? new Uint8Array(buffer)
    : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * The project as one zip: see the comment at the top of this file for the layout. With `withBackbone`, a classroom
 * pack: the project's image model as stored on this device goes along (see classroom-pack.ts).
 */
export async function exportProjectFile(
  db: KilnDB,
  projectId: string,
  options: { withBackbone?: boolean } = {},
): Promise<{ fileName: string; bytes: Uint8Array }> {
  // One read transaction, so the file is a consistent snapshot even while other tabs edit the project.
  const tx = db.transaction(['projects', 'classes', 'samples', 'runs', 'checkpoints'], 'readonly');
  const [project, classList, sampleList, runList, checkpointList] = await Promise.all([
    tx.objectStore('projects').get(projectId),
    tx.objectStore('classes').index('byProject').getAll(projectId),
    tx.objectStore('samples').index('byProject').getAll(projectId),
    tx.objectStore('runs').index('byProject').getAll(projectId),
    tx.objectStore('checkpoints').index('byProject').getAll(projectId),
  ]);
  await tx.done;
  if (!project)
    throw new ProjectFileError('project.goneOtherTab', 'This project no longer exists. It may have been deleted in another tab.');

  const entries: [string, Uint8Array][] = [];
  const folders = new Set<string>();
  const classes = [...classList].sort((a, b) => a.order - b.order || a.createdAt - b.createdAt);
  const folderOf = new Map<string, string>();
  const manifestClasses: ManifestClass[] = classes.map((c) => {
    const folder = safeFolderName(c.name, folders);
    folderOf.set(c.id, folder);
    return { id: c.id, name: c.name, order: c.order, createdAt: c.createdAt, folder };
  });

  const sampleSegments = new Set<string>();
  const samples = [...sampleList].sort((a, b) => a.addedAt - b.addedAt || a.name.localeCompare(b.name));
  const manifestSamples: ManifestSample[] = [];
  for (const [index, s] of samples.entries()) {
    const folder = folderOf.get(s.classId);
    if (folder === undefined) continue; // a photo without its class can't be placed; the app never leaves one
    const segment = pathSegment(s.id, `photo-${index}`, sampleSegments);
    const image = `photos/${folder}/${segment}.jpg`;
    const thumb = `thumbs/${segment}.jpg`;
    entries.push([image, bytesOf(await s.image.arrayBuffer())], [thumb, bytesOf(await s.thumb.arrayBuffer())]);
    manifestSamples.push({
      id: s.id,
      classId: s.classId,
      hash: s.hash,
      name: s.name,
      source: s.source,
      addedAt: s.addedAt,
      width: s.width,
      height: s.height,
      originalWidth: s.originalWidth,
      originalHeight: s.originalHeight,
      image,
      thumb,
      ...(s.testOnly ? { testOnly: true } : {}),
    });
  }

  const runs = runList.filter((r) => r.status !== 'running').sort((a, b) => a.createdAt - b.createdAt);
  const exportedRuns = new Set(runs.map((r) => r.id));
  const runSegments = new Set<string>();
  const segmentOfRun = new Map(runs.map((r, index) => [r.id, pathSegment(r.id, `run-${index}`, runSegments)]));
  const models: ManifestModel[] = [];
  for (const checkpoint of checkpointList) {
    if (checkpoint.resume !== null || !exportedRuns.has(checkpoint.runId)) continue;
    const dir = `models/${segmentOfRun.get(checkpoint.runId)!}`;
    const head = {
      topology: `${dir}/head.json`,
      weights: `${dir}/head.bin`,
      weightSpecs: checkpoint.head.weightSpecs,
    };
    entries.push(
      [head.topology, encoder.encode(JSON.stringify(checkpoint.head.modelTopology))],
      [head.weights, bytesOf(checkpoint.head.weightData)],
    );
    let backbone: ManifestModel['backbone'] = null;
    if (checkpoint.backbone) {
      const packed = packLayerWeights(checkpoint.backbone);
      backbone = { weights: `${dir}/backbone.bin`, layers: packed.layers };
      entries.push([backbone.weights, packed.bytes]);
    }
    models.push({ runId: checkpoint.runId, epoch: checkpoint.epoch, createdAt: checkpoint.createdAt, head, backbone });
  }

  const manifest: ManifestV2 = {
    format: PROJECT_FILE_FORMAT,
    version: PROJECT_FILE_VERSION,
    exportedAt: new Date().toISOString(),
    app: APP,
    project: {
      id: project.id,
      name: project.name,
      createdAt: project.createdAt,
      updatedAt: project.updatedAt,
      backboneId: project.backboneId,
      cropMode: project.cropMode,
      settings: project.settings ?? null,
      activeRunId: project.activeRunId,
      continueFromRunId: project.continueFromRunId ?? null,
    },
    classes: manifestClasses,
    samples: manifestSamples,
    runs,
    models,
  };
  if (options.withBackbone) {
    const pack = await packProjectBackbone(db, project.backboneId);
    manifest.backbone = pack.manifest;
    entries.push(...pack.entries);
  }
  entries.unshift([MANIFEST, encoder.encode(JSON.stringify(manifest, null, 1))]);
  return {
    fileName: options.withBackbone ? classroomPackFileName(project.name) : projectFileName(project.name),
    bytes: writeZip(entries),
  };
}

/** The project's image model as this device keeps it, ready for a classroom pack. */
async function packProjectBackbone(db: KilnDB, backboneId: string): ReturnType<typeof packBackbone> {
  const record = await getCachedBackbone(db, backboneId);
  const spec = catalogueBackbone(backboneId) ?? record?.spec;
  if (!record || !spec) {
    throw new ProjectFileError(
      'pack.backboneMissing',
      'The image model of this project is not on this device yet, so it cannot go into a classroom pack. Train the project once (that loads the model), then save the pack again.',
    );
  }
  try {
    return await packBackbone(record, spec);
  } catch (error) {
    throw error instanceof PackError ? new ProjectFileError(error.key, error.message, error.values) : error;
  }
}

function packLayerWeights(layers: readonly LayerWeights[]): { layers: ManifestLayer[]; bytes: Uint8Array } {
  const total = layers.reduce((sum, l) => sum + l.values.reduce((s, v) => s + v.byteLength, 0), 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  const index = layers.map((l) => {
    const offsets = l.values.map((v, i) => {
      if (v.length !== elementCount(l.shapes[i] ?? [])) {
        throw new ProjectFileError(
          'projectFile.weightsMismatch',
          `The project can't be exported: the saved weights of layer "${l.layer}" don't match their shapes. Train again, then export.`,
          { layer: l.layer },
        );
      }
      const at = offset;
      bytes.set(bytesOf(v), at);
      offset += v.byteLength;
      return at;
    });
    return { layer: l.layer, shapes: l.shapes, offsets };
  });
  return { layers: index, bytes };
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Import

export interface ImportOptions {
  /**
   * Called with a classroom pack's image model once the whole file has been checked, before the project is stored;
   * it stores the model when this device lacks it. When it throws, nothing of the project is stored.
   */
  installBackbone?: (backbone: PackBackbone) => Promise<void>;
}

/** Reads a project file and stores it as a NEW project (new ids for project, classes, samples, runs; references remapped). Returns the new project. */
export async function importProjectFile(db: KilnDB, bytes: Uint8Array, options: ImportOptions = {}): Promise<ProjectRecord> {
  const files = readZip(bytes, 'projectFile');
  const manifestBytes = files.get(MANIFEST);
  if (!manifestBytes) {
    throw new ProjectFileError(
      'projectFile.noManifest',
      "The project file is not a Kiln project file: it has no manifest.json. If it is a Teachable Machine model, use 'Open a Teachable Machine model'.",
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes));
  } catch {
    throw damaged('its manifest.json is not valid JSON');
  }
  if (!isRecord(manifest) || manifest.format !== PROJECT_FILE_FORMAT) {
    throw new ProjectFileError(
      'projectFile.notKiln',
      'The project file is not a Kiln project file: its manifest.json is for something else. Choose a .kiln.zip file that Kiln exported.',
    );
  }
  const version = manifest.version;
  if (typeof version === 'number' && Number.isInteger(version) && version > PROJECT_FILE_VERSION) {
    throw new ProjectFileError(
      'projectFile.newerVersion',
      `The project file was made by a newer Kiln (format version ${version}). Update Kiln (reload the page when online) and try again.`,
      { version },
    );
  }
  if (version !== 1 && version !== 2) {
    const shown = JSON.stringify(version) ?? 'none';
    throw new ProjectFileError(
      'projectFile.unknownVersion',
      `The project file has an unknown format version (${shown}), so it may be damaged. Export the project from Kiln again.`,
      { version: shown },
    );
  }

  const now = Date.now();
  const bundle = version === 1 ? await readVersion1(manifest, files, now) : await readVersion2(manifest, files, now);
  const names = new Set((await listProjects(db)).map((p) => p.name));
  bundle.project.name = uniqueName(bundle.project.name, names);
  if (version === 2 && manifest.backbone !== undefined) {
    // A classroom pack: its image model is checked like the rest before anything is written.
    let backbone: PackBackbone;
    try {
      backbone = await readPackBackbone(manifest.backbone, files, bundle.project.backboneId);
    } catch (error) {
      throw error instanceof PackError ? new ProjectFileError(error.key, error.message, error.values) : error;
    }
    await options.installBackbone?.(backbone);
  }
  await putProjectBundle(db, bundle);
  return bundle.project;
}

function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? ' (imported)' : ` (imported ${n})`;
    const candidate = `${name.slice(0, NAME_LIMIT - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function cleanName(value: unknown, fallback: string): string {
  const name = typeof value === 'string' ? value.trim().replace(/\s+/g, ' ').slice(0, NAME_LIMIT).trim() : '';
  return name || fallback;
}

// --- checks ----------------------------------------------------------------------------------------------------

function damaged(detail: string): ProjectFileError {
  return new ProjectFileError(
    'projectFile.damaged',
    `The project file is damaged: ${detail}. Export the project from Kiln again.`,
    { detail },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw damaged(`${what} is missing or not an object`);
  return value;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw damaged(`${what} is missing or not a list`);
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw damaged(`${what} is missing or not text`);
  return value;
}

function number(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw damaged(`${what} is missing or not a number`);
  return value;
}

/** A crop mode as written; files from before the choice existed were all centre-cropped. */
function cropModeOf(value: unknown, whose: string): CropMode {
  if (value === undefined || value === null) return 'center';
  if (isCropMode(value)) return value;
  throw new ProjectFileError(
    'projectFile.unknownCropMode',
    `The project file asks for the crop mode "${String(value)}" (${whose}), which this version of Kiln does not know. Reload Kiln to update it, then import the file again.`,
    { mode: String(value), whose },
  );
}

function optionalNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function size(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0;
}

function shape(value: unknown, what: string): number[] {
  const dims = list(value, what);
  if (!dims.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) throw damaged(`${what} is not a shape`);
  return dims as number[];
}

function source(value: unknown): SampleSource {
  return value === 'webcam' ? 'webcam' : 'file';
}

function settingsOf(value: unknown): Partial<TrainingSettings> | undefined {
  return isRecord(value) ? (value as Partial<TrainingSettings>) : undefined;
}

function file(files: Map<string, Uint8Array>, path: unknown, what: string): Uint8Array {
  const name = text(path, `the file name of ${what}`);
  const bytes = files.get(name);
  if (!bytes)
    throw new ProjectFileError(
      'projectFile.incomplete',
      `The project file is incomplete: ${what} ("${name}") is missing. Export the project from Kiln again.`,
      { what, name },
    );
  return bytes;
}

/** A copy in its own, exactly sized buffer (so nothing keeps the whole archive alive). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

function jpeg(bytes: Uint8Array): Blob {
  return new Blob([ownBuffer(bytes)], { type: 'image/jpeg' });
}

function checkClassNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw new ProjectFileError(
        'projectFile.duplicateClass',
        `The project file has two classes called "${name}". Rename one of them in the project it came from, export it again and import that file.`,
        { name },
      );
    }
    seen.add(key);
  }
}

/** Fresh ids for the ids of a file, the same new id every time the same old id comes up. */
class IdMap {
  private readonly map = new Map<string, string>();
  add(old: string, what: string): string {
    if (this.map.has(old)) throw damaged(`${what} appears twice`);
    const id = crypto.randomUUID();
    this.map.set(old, id);
    return id;
  }
  get(old: string): string | undefined {
    return this.map.get(old);
  }
  has(old: string): boolean {
    return this.map.has(old);
  }
}

// --- version 1 ---------------------------------------------------------------------------------------------------

async function readVersion1(
  manifest: Record<string, unknown>,
  files: Map<string, Uint8Array>,
  now: number,
): Promise<ProjectBundle> {
  const p = record(manifest.project, 'the project');
  const projectId = crypto.randomUUID();
  const classes: ClassRecord[] = [];
  const classOfFolder = new Map<string, ClassRecord>();
  for (const [index, value] of list(manifest.classes, 'the list of classes').entries()) {
    const c = record(value, `class ${index + 1}`);
    const name = cleanName(text(c.name, `the name of class ${index + 1}`), '');
    if (!name) throw damaged(`the name of class ${index + 1} is empty`);
    const folder = text(c.folder, `the folder of class "${name}"`);
    if (classOfFolder.has(folder)) throw damaged(`two classes use the folder "${folder}"`);
    const klass: ClassRecord = { id: crypto.randomUUID(), projectId, name, order: index, createdAt: now + index };
    classOfFolder.set(folder, klass);
    classes.push(klass);
  }
  checkClassNames(classes.map((c) => c.name));

  const samples: SampleRecord[] = [];
  for (const [index, value] of list(manifest.photos, 'the list of photos').entries()) {
    const photo = record(value, `photo ${index + 1}`);
    const path = text(photo.file, `the file name of photo ${index + 1}`);
    const name = typeof photo.name === 'string' && photo.name ? photo.name : path.slice(path.lastIndexOf('/') + 1);
    const klass = classOfFolder.get(typeof photo.class === 'string' ? photo.class : '');
    if (!klass) throw missingClass(name);
    const bytes = file(files, path, `the photo "${name}"`);
    const image = jpeg(bytes);
    samples.push({
      id: crypto.randomUUID(),
      projectId,
      classId: klass.id,
      hash: await sha256Hex(ownBuffer(bytes)),
      name,
      source: source(photo.source),
      addedAt: optionalNumber(photo.addedAt, now),
      width: size(photo.width),
      height: size(photo.height),
      originalWidth: size(photo.originalWidth),
      originalHeight: size(photo.originalHeight),
      image,
      thumb: image,
    });
  }

  const settings = settingsOf(p.settings);
  const project: ProjectRecord = {
    id: projectId,
    name: cleanName(p.name, 'Imported project'),
    createdAt: now,
    updatedAt: now,
    backboneId: typeof p.backboneId === 'string' && p.backboneId ? p.backboneId : DEFAULT_BACKBONE.id,
    cropMode: 'center',
    activeRunId: null,
    continueFromRunId: null,
    ...(settings ? { settings } : {}),
  };
  return { project, classes, samples, runs: [], checkpoints: [] };
}

function missingClass(photoName: string): ProjectFileError {
  return damaged(`the photo "${photoName}" belongs to a class that is not in the file`);
}

// --- version 2 ---------------------------------------------------------------------------------------------------

async function readVersion2(
  manifest: Record<string, unknown>,
  files: Map<string, Uint8Array>,
  now: number,
): Promise<ProjectBundle> {
  const p = record(manifest.project, 'the project');
  const projectId = crypto.randomUUID();
  const classIds = new IdMap();
  const sampleIds = new IdMap();
  const runIds = new IdMap();
  /** Ids a run mentions that are not in the file (photos or classes deleted since): still new, still consistent. */
  const ghosts = new Map<string, string>();
  const remap = (map: IdMap, old: string) => {
    const known = map.get(old);
    if (known) return known;
    let ghost = ghosts.get(old);
    if (!ghost) ghosts.set(old, (ghost = crypto.randomUUID()));
    return ghost;
  };

  const classes: ClassRecord[] = list(manifest.classes, 'the list of classes').map((value, index) => {
    const c = record(value, `class ${index + 1}`);
    const name = cleanName(text(c.name, `the name of class ${index + 1}`), '');
    if (!name) throw damaged(`the name of class ${index + 1} is empty`);
    return {
      id: classIds.add(text(c.id, `the id of class "${name}"`), `the class id of "${name}"`),
      projectId,
      name,
      order: optionalNumber(c.order, index),
      createdAt: optionalNumber(c.createdAt, now),
    };
  });
  checkClassNames(classes.map((c) => c.name));

  const samples: SampleRecord[] = [];
  for (const [index, value] of list(manifest.samples, 'the list of photos').entries()) {
    const s = record(value, `photo ${index + 1}`);
    const name = typeof s.name === 'string' && s.name ? s.name : `photo ${index + 1}`;
    const classId = classIds.get(typeof s.classId === 'string' ? s.classId : '');
    if (!classId) throw missingClass(name);
    const imageBytes = file(files, s.image, `the photo "${name}"`);
    const thumbBytes = file(files, s.thumb, `the thumbnail of "${name}"`);
    samples.push({
      id: sampleIds.add(text(s.id, `the id of photo "${name}"`), `the id of photo "${name}"`),
      projectId,
      classId,
      hash: typeof s.hash === 'string' && s.hash ? s.hash : await sha256Hex(ownBuffer(imageBytes)),
      name,
      source: source(s.source),
      addedAt: optionalNumber(s.addedAt, now),
      width: size(s.width),
      height: size(s.height),
      originalWidth: size(s.originalWidth),
      originalHeight: size(s.originalHeight),
      image: jpeg(imageBytes),
      thumb: jpeg(thumbBytes),
      ...(s.testOnly === true ? { testOnly: true } : {}),
    });
  }

  // Runs: first their ids (a run may refer to another by startedFrom), then the records.
  const runValues = list(manifest.runs ?? [], 'the list of trainings')
    .map((value, index) => record(value, `training ${index + 1}`))
    .filter((r) => r.status !== 'running');
  for (const [index, r] of runValues.entries())
    runIds.add(text(r.id, `the id of training ${index + 1}`), `training ${index + 1}`);
  const runs = runValues.map((r, index) =>
    readRun(r, index, { projectId, runIds, remapClass: (id) => remap(classIds, id), remapSample: (id) => remap(sampleIds, id) }),
  );

  const checkpoints: CheckpointRecord[] = [];
  const modelled = new Set<string>();
  for (const [index, value] of list(manifest.models ?? [], 'the list of models').entries()) {
    const m = record(value, `model ${index + 1}`);
    const oldRunId = text(m.runId, `the training of model ${index + 1}`);
    const runId = runIds.get(oldRunId);
    if (!runId) throw damaged(`model ${index + 1} belongs to a training that is not in the file`);
    if (modelled.has(runId)) throw damaged(`training ${oldRunId} has two models`);
    modelled.add(runId);
    const what = `the model of training ${runValues.findIndex((r) => r.id === oldRunId) + 1}`;
    checkpoints.push({
      runId,
      projectId,
      createdAt: optionalNumber(m.createdAt, now),
      epoch: optionalNumber(m.epoch, 0),
      head: readHead(record(m.head, `the head of ${what}`), files, what),
      backbone:
        m.backbone === null || m.backbone === undefined
          ? null
          : readBackbone(record(m.backbone, `the fine-tuned layers of ${what}`), files, what),
      resume: null,
    });
  }

  const known = (old: unknown) => (typeof old === 'string' ? (runIds.get(old) ?? null) : null);
  const settings = settingsOf(p.settings);
  const project: ProjectRecord = {
    id: projectId,
    name: cleanName(p.name, 'Imported project'),
    createdAt: optionalNumber(p.createdAt, now),
    updatedAt: now,
    backboneId: typeof p.backboneId === 'string' && p.backboneId ? p.backboneId : DEFAULT_BACKBONE.id,
    cropMode: cropModeOf(p.cropMode, 'for the project'),
    activeRunId: known(p.activeRunId),
    continueFromRunId: known(p.continueFromRunId),
    ...(settings ? { settings } : {}),
  };
  return { project, classes, samples, runs, checkpoints };
}

interface RunContext {
  projectId: string;
  runIds: IdMap;
  remapClass: (id: string) => string;
  remapSample: (id: string) => string;
}

function readRun(r: Record<string, unknown>, index: number, context: RunContext): RunRecord {
  const what = `training ${index + 1}`;
  const oldId = r.id as string; // checked when its id was mapped
  const split = record(r.split, `the photo split of ${what}`);
  const ids = (value: unknown, part: string) => {
    const values = list(value, `the ${part} photos of ${what}`);
    if (!values.every((v) => typeof v === 'string')) throw damaged(`the ${part} photos of ${what} are not photo ids`);
    return (values as string[]).map(context.remapSample);
  };
  const classes = list(r.classes, `the classes of ${what}`).map((value, i) => {
    const c = record(value, `class ${i + 1} of ${what}`);
    return {
      id: context.remapClass(text(c.id, `the id of class ${i + 1} of ${what}`)),
      name: typeof c.name === 'string' ? c.name : '',
      count: size(c.count),
    };
  });
  const metrics = record(r.metrics, `the results of ${what}`);
  const embeddings = isRecord(r.embeddings) ? r.embeddings : {};
  const startedFrom = typeof r.startedFrom === 'string' ? (context.runIds.get(r.startedFrom) ?? null) : null;
  const status = r.status === 'completed' || r.status === 'stopped' ? r.status : null;
  if (!status) throw damaged(`${what} has an unknown status`);
  const backboneId = text(r.backboneId, `the backbone of ${what}`);
  const run: RunRecord = {
    // Everything as stored first (curves, cross-validation…), then the checked and remapped parts over it.
    ...(r as unknown as RunRecord),
    id: context.runIds.get(oldId)!,
    projectId: context.projectId,
    createdAt: number(r.createdAt, `the date of ${what}`),
    durationMs: size(r.durationMs),
    status,
    backboneId,
    backboneName: typeof r.backboneName === 'string' ? r.backboneName : backboneId,
    backend: BACKEND_NAMES.includes(r.backend as BackendName) ? (r.backend as BackendName) : 'cpu',
    settings: normalizeSettings(settingsOf(r.settings)),
    classes,
    curves: list(r.curves ?? [], `the curves of ${what}`) as RunRecord['curves'],
    metrics: {
      trainCount: size(metrics.trainCount),
      validationCount: size(metrics.validationCount),
      validationAccuracy: typeof metrics.validationAccuracy === 'number' ? metrics.validationAccuracy : null,
      confusion: list(metrics.confusion ?? [], `the confusion matrix of ${what}`) as number[][],
    },
    finalEpoch: optionalNumber(r.finalEpoch, 0),
    earlyStopped: r.earlyStopped === true,
    classWeights: Array.isArray(r.classWeights) ? (r.classWeights as number[]) : null,
    crossValidation: isRecord(r.crossValidation) ? (r.crossValidation as unknown as RunRecord['crossValidation']) : null,
    split: { train: ids(split.train, 'training'), validation: ids(split.validation, 'validation') },
    fineTunedBlocks: size(r.fineTunedBlocks),
    embeddings: { computed: size(embeddings.computed), reused: size(embeddings.reused) },
    startedFrom,
  };
  if ('cropMode' in r) run.cropMode = cropModeOf(r.cropMode, `for ${what}`);
  if ('imported' in r) run.imported = isRecord(r.imported) ? (r.imported as unknown as RunRecord['imported']) : null;
  for (const key of ['validationPredictions', 'testPredictions'] as const) {
    if (key in r)
      run[key] = predictionSet(
        r[key],
        `the ${key === 'testPredictions' ? 'test' : 'validation'} answers of ${what}`,
        classes.length,
        context,
      );
  }
  if (!('startedFrom' in r)) delete run.startedFrom;
  return run;
}

/** A run's per-photo answers, checked for shape, with photo ids remapped (null stays null). */
function predictionSet(value: unknown, what: string, numClasses: number, context: RunContext): PredictionSet | null {
  if (value === null || value === undefined) return null;
  const set = record(value, what);
  const sampleIds = list(set.sampleIds, what);
  const truth = list(set.truth, what);
  const probabilities = list(set.probabilities, what);
  if (
    !sampleIds.every((v) => typeof v === 'string') ||
    truth.length !== sampleIds.length ||
    !truth.every((t) => Number.isInteger(t) && (t as number) >= 0 && (t as number) < numClasses) ||
    probabilities.length !== sampleIds.length * numClasses ||
    !probabilities.every((p) => typeof p === 'number')
  ) {
    throw damaged(`${what} do not fit the training's photos and classes`);
  }
  return {
    sampleIds: (sampleIds as string[]).map(context.remapSample),
    truth: truth as number[],
    probabilities: probabilities as number[],
  };
}

function bytesPerElement(dtype: string): number | null {
  switch (dtype) {
    case 'uint8':
    case 'int8':
    case 'bool':
      return 1;
    case 'uint16':
    case 'int16':
    case 'float16':
      return 2;
    case 'float32':
    case 'int32':
      return 4;
    case 'complex64':
      return 8;
    default:
      return null;
  }
}

function readHead(head: Record<string, unknown>, files: Map<string, Uint8Array>, what: string): SerializedModel {
  let topology: unknown;
  const topologyBytes = file(files, head.topology, `the layers of ${what}`);
  try {
    topology = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(topologyBytes));
  } catch {
    throw damaged(`the layers of ${what} are not valid JSON`);
  }
  if (!isRecord(topology)) throw damaged(`the layers of ${what} are not a model`);
  const weights = file(files, head.weights, `the weights of ${what}`);
  let expected = 0;
  const weightSpecs = list(head.weightSpecs, `the weight list of ${what}`).map((value, i) => {
    const spec = record(value, `weight ${i + 1} of ${what}`);
    const name = text(spec.name, `the name of weight ${i + 1} of ${what}`);
    const dims = shape(spec.shape, `the shape of weight "${name}" of ${what}`);
    const dtype = text(spec.dtype, `the type of weight "${name}" of ${what}`);
    const quantized = isRecord(spec.quantization) && typeof spec.quantization.dtype === 'string' ? spec.quantization.dtype : null;
    const bytes = bytesPerElement(quantized ?? dtype);
    if (bytes === null) throw damaged(`weight "${name}" of ${what} has an unknown type (${quantized ?? dtype})`);
    expected += elementCount(dims) * bytes;
    return { ...spec, name, shape: dims, dtype };
  });
  if (weights.length !== expected) {
    throw damaged(
      `the weights of ${what} ("${head.weights as string}") are ${weights.length} bytes, but its weight list needs ${expected}`,
    );
  }
  return { modelTopology: topology, weightSpecs, weightData: ownBuffer(weights) };
}

function readBackbone(backbone: Record<string, unknown>, files: Map<string, Uint8Array>, model: string): LayerWeights[] {
  const what = `the fine-tuned layers of ${model}`;
  const bin = file(files, backbone.weights, what);
  let total = 0;
  const layers = list(backbone.layers, `the layer list of ${what}`).map((value, i) => {
    const l = record(value, `layer ${i + 1} of ${what}`);
    const layer = text(l.layer, `the name of layer ${i + 1} of ${what}`);
    const shapes = list(l.shapes, `the shapes of layer "${layer}"`).map((s) => shape(s, `a shape of layer "${layer}"`));
    const offsets = list(l.offsets, `the offsets of layer "${layer}"`);
    if (offsets.length !== shapes.length)
      throw damaged(`layer "${layer}" of ${what} has ${shapes.length} shapes but ${offsets.length} offsets`);
    const values = shapes.map((dims, t) => {
      const offset = offsets[t];
      const length = elementCount(dims) * 4;
      if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset + length > bin.length) {
        throw damaged(
          `the weights of layer "${layer}" run past the end of "${backbone.weights as string}" (${bin.length} bytes)`,
        );
      }
      total += length;
      return new Float32Array(ownBuffer(bin.subarray(offset, offset + length)));
    });
    return { layer, values, shapes };
  });
  if (total !== bin.length) {
    throw damaged(`"${backbone.weights as string}" is ${bin.length} bytes, but the layer list needs ${total}`);
  }
  return layers;
}
