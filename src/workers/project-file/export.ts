/**
 * Exporting a project as one zip (version 2, see manifest.ts and docs/PROJECT-FILE.md). Only finished models are
 * written (checkpoints whose `resume` is null, of runs that are not 'running'): the mid-training resume state never
 * leaves the device. With `withBackbone`, a classroom pack: the project's image model goes along (classroom-pack.ts).
 */
import { catalogueBackbone } from '../../ml/backbone-catalogue';
import { writeZip } from '../../shared/zip';
import { KILN_VERSION } from '../../shared/version';
import type { KilnDB } from '../../storage/db';
import { getCachedBackbone } from '../../storage/backbones';
import { packBackbone } from '../classroom-pack';
import { packLayerWeights } from './backbone-pack';
import { bytesOf } from './entries';
import { checkExportable } from './limits';
import {
  PROJECT_FILE_FORMAT,
  PROJECT_FILE_VERSION,
  type ManifestClass,
  type ManifestModel,
  type ManifestSample,
  type ManifestV2,
} from './manifest';
import {
  classroomPackFileName,
  MANIFEST,
  modelEntries,
  pathSegment,
  photoEntries,
  projectFileName,
  safeFolderName,
} from './names';
import { asProjectFileError, ProjectFileError } from './refusals';

const APP = `Kiln ${KILN_VERSION}`;
const encoder = new TextEncoder();

/** The project as one zip: manifest.json first, then photos, thumbnails and models. */
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
  checkExportable(sampleList.length);
  const samples = [...sampleList].sort((a, b) => a.addedAt - b.addedAt || a.name.localeCompare(b.name));
  const manifestSamples: ManifestSample[] = [];
  for (const [index, s] of samples.entries()) {
    const folder = folderOf.get(s.classId);
    if (folder === undefined) continue; // a photo without its class can't be placed; the app never leaves one
    const { image, thumb } = photoEntries(folder, pathSegment(s.id, `photo-${index}`, sampleSegments));
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
      ...(typeof s.value === 'number' ? { value: s.value } : {}),
    });
  }

  const runs = runList.filter((r) => r.status !== 'running').sort((a, b) => a.createdAt - b.createdAt);
  const exportedRuns = new Set(runs.map((r) => r.id));
  const runSegments = new Set<string>();
  const segmentOfRun = new Map(runs.map((r, index) => [r.id, pathSegment(r.id, `run-${index}`, runSegments)]));
  const models: ManifestModel[] = [];
  for (const checkpoint of checkpointList) {
    if (checkpoint.resume !== null || !exportedRuns.has(checkpoint.runId)) continue;
    const paths = modelEntries(segmentOfRun.get(checkpoint.runId)!);
    const head = { topology: paths.topology, weights: paths.weights, weightSpecs: checkpoint.head.weightSpecs };
    entries.push(
      [head.topology, encoder.encode(JSON.stringify(checkpoint.head.modelTopology))],
      [head.weights, bytesOf(checkpoint.head.weightData)],
    );
    let backbone: ManifestModel['backbone'] = null;
    if (checkpoint.backbone) {
      const packed = packLayerWeights(checkpoint.backbone);
      backbone = { weights: paths.backbone, layers: packed.layers };
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
      ...(project.quantity ? { quantity: project.quantity } : {}),
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
    throw asProjectFileError(error);
  }
}
