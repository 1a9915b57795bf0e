/**
 * Teachable Machine project files (.tm) in: the photos a person collected in Teachable Machine become a new
 * Kiln project, one class per Teachable Machine class. The format (see docs/COLLECT.md) is a zip with a
 * manifest.json and one image per sample named `<class>-!-<index>.jpg`. The whole file is checked before
 * anything is created; the photos then go in through the normal importer (same checks and refusal reasons).
 */
import { DEFAULT_BACKBONE } from '../ml/backbone-catalogue';
import type { ClassRecord, ImportProgress, ProjectImportReport, ProjectRecord } from '../api/types';
import { UserError, userMessage } from '../api/user-message';
import { cleanName, uniqueNames } from '../shared/names';
import { readZip } from '../shared/zip';
import { isQuotaError, type KilnDB } from '../storage/db';
import { deleteProjectCascade, putProjectBundle, updateProject } from '../storage/projects';
import { importImages } from './importer';
import { zipKind } from './zip-kind';

export class TmProjectError extends UserError {
  override name = 'TmProjectError';
}

const SAMPLE = /^(.+)-!-(\d+)\.(jpe?g|png|webp|gif|bmp)$/i;
const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
};

export interface TmProject {
  /** Classes in the order their first photo appears in the file (the order Teachable Machine wrote them). */
  classes: { name: string; files: File[] }[];
  /** Entries that are neither the manifest nor a sample photo, for the report. */
  ignored: string[];
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** Reads and checks a .tm file; throws TmProjectError (or ZipRefusedError) with what to do. Creates nothing. */
export function parseTmProject(bytes: Uint8Array): TmProject {
  const entries = readZip(bytes, 'tmProject');
  // A file given to this button that another one opens: say which.
  switch (zipKind(entries)) {
    case 'kiln-project':
      throw new TmProjectError(
        'tmProject.isKilnProject',
        'This is a Kiln project file, not a Teachable Machine project: open it with “Open a project file”.',
      );
    case 'tm-model':
      throw new TmProjectError(
        'tmProject.isModel',
        'This is a Teachable Machine model, not a project: open it with “Open a Teachable Machine model”.',
      );
    case 'class-folders':
      throw new TmProjectError(
        'tmProject.isClassFolders',
        'This zip holds photos in class folders, not a Teachable Machine project: open it with “Open a project file” (each folder becomes a class).',
      );
  }
  const manifestEntry = [...entries].find(([path]) => baseName(path) === 'manifest.json');
  if (!manifestEntry) {
    throw new TmProjectError(
      'tmProject.noManifest',
      'The file has no manifest.json, so it is not a Teachable Machine project file. In Teachable Machine, save the project to a file again and choose that .tm file.',
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestEntry[1]));
  } catch {
    throw new TmProjectError(
      'tmProject.manifestDamaged',
      'The project file’s manifest.json is damaged (it is not valid JSON). Save the project from Teachable Machine again.',
    );
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new TmProjectError(
      'tmProject.notManifest',
      'The project file’s manifest.json is not a Teachable Machine manifest. Save the project from Teachable Machine again.',
    );
  }
  const type = (manifest as { type?: unknown }).type;
  if (type !== undefined && type !== 'image') {
    throw typeof type === 'string'
      ? new TmProjectError(
          'tmProject.notImageNamed',
          `This is a Teachable Machine ${type} project; Kiln works with image projects only.`,
          { type },
        )
      : new TmProjectError('tmProject.notImage', 'This is a Teachable Machine project; Kiln works with image projects only.');
  }

  const byClass = new Map<string, { index: number; file: File }[]>();
  const ignored: string[] = [];
  for (const [path, data] of entries) {
    const name = baseName(path);
    if (name === 'manifest.json') continue;
    const match = SAMPLE.exec(name);
    if (!match) {
      ignored.push(path);
      continue;
    }
    const [, label, index, extension] = match;
    const type = TYPES[extension!.toLowerCase()]!;
    const list = byClass.get(label!) ?? [];
    list.push({ index: Number(index), file: new File([data as Uint8Array<ArrayBuffer>], name, { type }) });
    byClass.set(label!, list);
  }
  if (byClass.size === 0) {
    throw new TmProjectError(
      'tmProject.noPhotos',
      'The project file has no photos in it (Teachable Machine names them “class-!-1.jpg”). Add photos to the project in Teachable Machine and save it again.',
    );
  }
  // Each Teachable Machine class stays its own class. Kiln's class names must differ by nameKey (case, NFC/NFD,
  // invisible characters), while Teachable Machine tells apart any two strings ("Cat" and "cat"): " (2)"….
  const names = uniqueNames(byClass.keys());
  const classes = [...byClass.values()].map((list, i) => ({
    name: names[i]!,
    files: list.sort((a, b) => a.index - b.index).map((s) => s.file),
  }));
  return { classes, ignored };
}

/** A Teachable Machine project's import: the same report as every whole-project import. */
export type TmProjectReport = ProjectImportReport;

/**
 * Creates a project from a .tm file. A damaged or foreign file is refused before anything is written;
 * Cancel (or an unexpected failure) removes the half-made project; a full disk keeps what went in and says so.
 */
export async function importTmProject(
  db: KilnDB,
  fileName: string,
  bytes: Uint8Array,
  control: { onProgress?: (p: ImportProgress) => void; isCancelled?: () => boolean } = {},
): Promise<TmProjectReport | null> {
  const parsed = parseTmProject(bytes);
  const now = Date.now();
  const project: ProjectRecord = {
    id: crypto.randomUUID(),
    name: cleanName(fileName.replace(/\.tm$/i, '')) || 'Teachable Machine project',
    createdAt: now,
    updatedAt: now,
    backboneId: DEFAULT_BACKBONE.id,
    cropMode: 'center',
    activeRunId: null,
  };
  const classes: ClassRecord[] = parsed.classes.map((c, order) => ({
    id: crypto.randomUUID(),
    projectId: project.id,
    name: c.name,
    order,
    createdAt: now + order,
  }));
  await putProjectBundle(db, { project, classes, samples: [], runs: [], checkpoints: [] });

  const total = parsed.classes.reduce((sum, c) => sum + c.files.length, 0);
  const out: TmProjectReport = { project, classes: [], ignored: parsed.ignored, stoppedBy: null };
  let done = 0;
  try {
    for (const [i, entry] of parsed.classes.entries()) {
      const before = done;
      const report = await importImages(
        db,
        { projectId: project.id, classId: classes[i]!.id },
        entry.files.map((file) => ({ kind: 'file' as const, file })),
        { onProgress: (p) => control.onProgress?.({ done: before + p.done, total }), isCancelled: control.isCancelled },
      );
      done = before + entry.files.length;
      out.classes.push({ name: entry.name, report });
      if (report.cancelled) {
        await deleteProjectCascade(db, project.id);
        return null;
      }
      if (report.stoppedBy) {
        const added = out.classes.reduce((sum, c) => sum + c.report.added, 0);
        const refused = out.classes.reduce((sum, c) => sum + c.report.refused.length, 0);
        out.stoppedByMessage = userMessage(
          'tmProject.diskFull',
          `The disk is full: ${added} photo${added === 1 ? '' : 's'} went in and ${total - added - refused} did not. The project keeps the photos that went in; free some space (or delete photos or projects) and add the rest again.`,
          { count: added, missed: total - added - refused },
        );
        out.stoppedBy = out.stoppedByMessage.text;
        break;
      }
    }
  } catch (error) {
    await deleteProjectCascade(db, project.id).catch(() => undefined);
    throw error;
  }
  // Only the "changed" time: on a full disk this small write may fail too, and the photos are in.
  out.project = await updateProject(db, project.id, {}).catch((error: unknown) => {
    if (isQuotaError(error)) return project;
    throw error;
  });
  return out;
}
