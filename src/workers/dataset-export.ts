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

export async function exportDataset(db: KilnDB, projectId: string): Promise<{ fileName: string; bytes: Uint8Array }> {
  const project = await getProject(db, projectId);
  if (!project) throw new UserError('project.gone', 'This project no longer exists.');
  const [classes, samples] = await Promise.all([listClasses(db, projectId), listSamplesOfProject(db, projectId)]);
  if (samples.length === 0)
    throw new UserError('export.datasetNeedsPhotos', 'Add photos first: the dataset export holds the project’s photos.');
  const used = new Set<string>();
  const folders = classes.map((c) => safeFolderName(c.name, used));
  const stem = fileStem(project.name);
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
