/** A version-1 file (photos and settings, no trainings) as a new project. */
import { DEFAULT_BACKBONE } from '../../ml/backbone-catalogue';
import { sha256Hex } from '../../shared/hash';
import type { ClassRecord, ProjectRecord, SampleRecord } from '../../api/types';
import type { ProjectBundle } from '../../storage/projects';
import { entry, jpeg, ownBuffer } from './entries';
import { cleanName } from '../../shared/names';
import type { CheckedV1 } from './manifest';
import { checkClassNames, damaged, missingClass } from './refusals';
import type { PhotoGate } from './photo-gate';

export async function readVersion1(
  manifest: CheckedV1,
  files: ReadonlyMap<string, Uint8Array>,
  now: number,
  gate: PhotoGate,
): Promise<ProjectBundle> {
  const p = manifest.project;
  const projectId = crypto.randomUUID();
  const classes: ClassRecord[] = [];
  const classOfFolder = new Map<string, ClassRecord>();
  for (const [index, { name, folder }] of manifest.classes.entries()) {
    if (classOfFolder.has(folder)) throw damaged(`two classes use the folder "${folder}"`);
    const klass: ClassRecord = { id: crypto.randomUUID(), projectId, name, order: index, createdAt: now + index };
    classOfFolder.set(folder, klass);
    classes.push(klass);
  }
  checkClassNames(classes.map((c) => c.name));

  const samples: SampleRecord[] = [];
  for (const photo of manifest.photos) {
    const path = photo.file;
    const name = photo.name ?? path.slice(path.lastIndexOf('/') + 1);
    const klass = classOfFolder.get(photo.class ?? '');
    if (!klass) throw missingClass(name);
    const bytes = entry(files, path, `the photo "${name}"`);
    if (!(await gate(bytes, name, klass.name))) continue;
    const image = jpeg(bytes);
    samples.push({
      id: crypto.randomUUID(),
      projectId,
      classId: klass.id,
      hash: await sha256Hex(ownBuffer(bytes)),
      name,
      source: photo.source,
      addedAt: photo.addedAt ?? now,
      width: photo.width,
      height: photo.height,
      originalWidth: photo.originalWidth,
      originalHeight: photo.originalHeight,
      image,
      thumb: image,
    });
  }

  const project: ProjectRecord = {
    id: projectId,
    name: (typeof p.name === 'string' ? cleanName(p.name) : '') || 'Imported project',
    createdAt: now,
    updatedAt: now,
    backboneId: p.backboneId ?? DEFAULT_BACKBONE.id,
    cropMode: 'center',
    activeRunId: null,
    continueFromRunId: null,
    ...(p.settings ? { settings: p.settings } : {}),
  };
  return { project, classes, samples, runs: [], checkpoints: [] };
}
