/**
 * "Outgrow the browser": the project's photos as a zip of class folders, with train.py that repeats
 * the training in Python/Keras on any machine, and a README (see docs/OUTGROW-THE-BROWSER.md).
 */
import { datasetReadme, kerasTrainingScript, type KerasScriptInput } from '../ml/keras-script';
import { normalizeSettings } from '../api/settings';
import { KILN_VERSION } from '../shared/version';
import { writeZip } from '../shared/zip';
import { listClasses } from '../storage/classes';
import type { KilnDB } from '../storage/db';
import { getProject } from '../storage/projects';
import { listSamplesOfProject } from '../storage/samples';
import { fileStem } from './file-names';
import { safeFolderName } from './project-file';
import { UserError } from '../api/user-message';
import type { ProjectRecord, SampleRecord } from '../api/types';

export async function exportDataset(db: KilnDB, projectId: string): Promise<{ fileName: string; bytes: Uint8Array }> {
  const project = await getProject(db, projectId);
  if (!project) throw new UserError('project.gone', 'This project no longer exists.');
  const [classes, samples] = await Promise.all([listClasses(db, projectId), listSamplesOfProject(db, projectId)]);
  if (samples.length === 0)
    throw new UserError('export.datasetNeedsPhotos', 'Add photos first: the dataset export holds the project’s photos.');
  const stem = fileStem(project.name);
  if (project.quantity) return exportValues(project, samples, stem);
  const used = new Set<string>();
  const folders = classes.map((c) => safeFolderName(c.name, used));
  const input: KerasScriptInput = {
    projectName: project.name,
    classes: classes.map((c) => c.name),
    folders,
    settings: normalizeSettings(project.settings),
    backboneId: project.backboneId,
    kilnVersion: KILN_VERSION,
    cropMode: project.cropMode,
  };
  const encoder = new TextEncoder();
  const entries: [string, Uint8Array][] = [
    [
      `${stem}/README.md`,
      encoder.encode(
        datasetReadme({ ...input, photoCounts: classes.map((c) => samples.filter((s) => s.classId === c.id).length) }),
      ),
    ],
    [`${stem}/train.py`, encoder.encode(kerasTrainingScript(input))],
  ];
  const counters = new Map<string, number>();
  for (const sample of samples) {
    const k = classes.findIndex((c) => c.id === sample.classId);
    if (k < 0) continue;
    const n = (counters.get(sample.classId) ?? 0) + 1;
    counters.set(sample.classId, n);
    entries.push([
      `${stem}/data/${folders[k]}/${String(n).padStart(5, '0')}.jpg`,
      new Uint8Array(await sample.image.arrayBuffer()),
    ]);
  }
  return { fileName: `${stem}-dataset.zip`, bytes: writeZip(entries) };
}

/**
 * A "Predict a number" project: the photos with a value in data/photos/, each one's value in data/values.csv
 * (file name, value), and train.py for numbers. Photos without a value are left out: nothing could learn from them.
 */
async function exportValues(
  project: ProjectRecord,
  samples: SampleRecord[],
  stem: string,
): Promise<{ fileName: string; bytes: Uint8Array }> {
  const quantity = project.quantity!;
  const valued = samples.filter((s) => typeof s.value === 'number');
  if (valued.length === 0)
    throw new UserError('export.datasetNeedsValues', 'Give photos a value first: the dataset export holds the photos with one.');
  const input: KerasScriptInput = {
    projectName: project.name,
    classes: [quantity.name],
    folders: ['photos'],
    settings: normalizeSettings(project.settings),
    backboneId: project.backboneId,
    kilnVersion: KILN_VERSION,
    cropMode: project.cropMode,
    quantity,
  };
  const encoder = new TextEncoder();
  const rows = ['file,value'];
  const entries: [string, Uint8Array][] = [
    [`${stem}/README.md`, encoder.encode(datasetReadme({ ...input, photoCounts: [valued.length] }))],
    [`${stem}/train.py`, encoder.encode(kerasTrainingScript(input))],
  ];
  for (const [i, sample] of valued.entries()) {
    const file = `${String(i + 1).padStart(5, '0')}.jpg`;
    rows.push(`${file},${sample.value}`);
    entries.push([`${stem}/data/photos/${file}`, new Uint8Array(await sample.image.arrayBuffer())]);
  }
  entries.push([`${stem}/data/values.csv`, encoder.encode(rows.join('\n') + '\n')]);
  return { fileName: `${stem}-dataset.zip`, bytes: writeZip(entries) };
}
