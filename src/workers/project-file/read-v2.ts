/**
 * A version-2 file as a new project: every id (project, classes, photos, trainings) is new, and every reference to
 * one is remapped.
 */
import { DEFAULT_BACKBONE } from '../../ml/backbone-catalogue';
import { sha256Hex } from '../../shared/hash';
import type { CheckpointRecord, ClassRecord, ProjectRecord, SampleRecord } from '../../api/types';
import type { ProjectBundle } from '../../storage/projects';
import { entry, jpeg, ownBuffer } from './entries';
import { cleanName } from '../../shared/names';
import { photoName, type CheckedV2 } from './manifest';
import { readFineTuned, readHead } from './models';
import { checkClassNames, damaged, missingClass } from './refusals';
import { readRun } from './runs';
import type { PhotoGate } from './photo-gate';

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
}

export async function readVersion2(
  manifest: CheckedV2,
  files: ReadonlyMap<string, Uint8Array>,
  now: number,
  gate: PhotoGate,
): Promise<ProjectBundle> {
  const p = manifest.project;
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

  const classes: ClassRecord[] = manifest.classes.map((c, index) => ({
    id: classIds.add(c.id, `the class id of "${c.name}"`),
    projectId,
    name: c.name,
    order: c.order ?? index,
    createdAt: c.createdAt ?? now,
  }));
  checkClassNames(classes.map((c) => c.name));

  const samples: SampleRecord[] = [];
  for (const [index, s] of manifest.samples.entries()) {
    const name = photoName(s.name, index);
    const classId = classIds.get(s.classId ?? '');
    if (!classId) throw missingClass(name);
    const imageBytes = entry(files, s.image, `the photo "${name}"`);
    const thumbBytes = entry(files, s.thumb, `the thumbnail of "${name}"`);
    // A photo left out keeps its id taken, so a training that used it still reads consistently (as a ghost).
    if (!(await gate(imageBytes, name, classes.find((c) => c.id === classId)!.name, thumbBytes.length))) {
      sampleIds.add(s.id, `the id of photo "${name}"`);
      continue;
    }
    samples.push({
      id: sampleIds.add(s.id, `the id of photo "${name}"`),
      projectId,
      classId,
      hash: s.hash ?? (await sha256Hex(ownBuffer(imageBytes))),
      name,
      source: s.source,
      addedAt: s.addedAt ?? now,
      width: s.width,
      height: s.height,
      originalWidth: s.originalWidth,
      originalHeight: s.originalHeight,
      image: jpeg(imageBytes),
      thumb: jpeg(thumbBytes),
      ...(s.testOnly ? { testOnly: true } : {}),
      // A value outside the project's range (or in a classification project) is dropped: the photo is then listed
      // as without a value, never trained on with a wrong one.
      ...(p.quantity && s.value !== undefined && s.value >= p.quantity.min && s.value <= p.quantity.max
        ? { value: s.value }
        : {}),
    });
  }

  // Runs: first their ids (a run may refer to another by startedFrom), then the records.
  for (const [index, r] of manifest.runs.entries()) runIds.add(r.id, `training ${index + 1}`);
  const context = {
    projectId,
    runId: (old: string) => runIds.get(old),
    remapClass: (id: string) => remap(classIds, id),
    remapSample: (id: string) => remap(sampleIds, id),
  };
  const runs = manifest.runs.map((r, index) => readRun(r, index, context));

  const checkpoints: CheckpointRecord[] = [];
  const modelled = new Set<string>();
  for (const [index, m] of manifest.models.entries()) {
    const runId = runIds.get(m.runId);
    if (!runId) throw damaged(`model ${index + 1} belongs to a training that is not in the file`);
    if (modelled.has(runId)) throw damaged(`training ${m.runId} has two models`);
    modelled.add(runId);
    const what = `the model of training ${manifest.runs.findIndex((r) => r.id === m.runId) + 1}`;
    checkpoints.push({
      runId,
      projectId,
      createdAt: m.createdAt ?? now,
      epoch: m.epoch ?? 0,
      head: readHead(m.head, files, what),
      backbone: m.backbone ? readFineTuned(m.backbone, files, what) : null,
      resume: null,
    });
  }

  const known = (old: string | undefined) => (old === undefined ? null : (runIds.get(old) ?? null));
  const project: ProjectRecord = {
    id: projectId,
    name: (typeof p.name === 'string' ? cleanName(p.name) : '') || 'Imported project',
    createdAt: p.createdAt ?? now,
    updatedAt: now,
    backboneId: p.backboneId ?? DEFAULT_BACKBONE.id,
    cropMode: p.cropMode,
    activeRunId: known(p.activeRunId),
    continueFromRunId: known(p.continueFromRunId),
    ...(p.settings ? { settings: p.settings } : {}),
    ...(p.quantity ? { quantity: p.quantity } : {}),
  };
  return { project, classes, samples, runs, checkpoints };
}
