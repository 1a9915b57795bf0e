/**
 * Many classes at once: a zip of class folders, or a picked folder of class folders. Each folder becomes
 * a class (an existing class of the same name is reused), and its photos go in through the same importer
 * as single files, with one progress bar and one Cancel for the whole set.
 */
import type { ClassRecord, ImportProgress, ImportReport, RefusedFile } from '../api/types';
import { nameKey, uniqueNames } from '../shared/names';
import { readZip } from '../shared/zip';
import { listClasses, putClass } from '../storage/classes';
import { isQuotaError, type KilnDB } from '../storage/db';
import { getProject, updateProject } from '../storage/projects';
import { valueFromFolderName, type Quantity } from '../ml/regression';
import { UserError, userMessage, type UserMessage } from '../api/user-message';
import { isSystemClutter, notAPhotoReason } from './file-reasons';
import { diskFullMessage, importImages, type ImportTarget } from './importer';

const IMAGE = /\.(jpe?g|jfif|png|gif|webp|bmp|avif|heic|heif)$/i;
const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jfif: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  avif: 'image/avif',
  heic: 'image/heic',
  heif: 'image/heif',
};

export interface ClassFile {
  /** Path inside the folder or zip, e.g. "rps/rock/0001.jpg". */
  path: string;
  file: File;
}

/**
 * Groups files by class folder: the first folder below the folders every photo shares, so
 * "rps/rock/1.jpg" and "rock/1.jpg" both mean class "rock" (and a single folder of photos is one class).
 * Folders whose names are the same to a person (by `nameKey`: case, NFC/NFD, invisible characters) are one
 * class; the class names are clean (src/shared/names.ts), and folders that only differ after the length limit
 * get " (2)"… Photos that sit in the shared folder itself, or in a folder whose name is blank, are `loose`.
 */
export function byClassFolder(files: readonly ClassFile[]): {
  classes: Map<string, File[]>;
  loose: string[];
  skipped: RefusedFile[];
} {
  const images = files.filter((f) => IMAGE.test(f.path) && !isSystemClutter(f.path));
  // Every other file is named with why it was left out; a system's own clutter (macOS's __MACOSX/ and ._ copies,
  // .DS_Store, Thumbs.db) is not the person's and is passed over.
  const skipped: RefusedFile[] = files
    .filter((f) => !IMAGE.test(f.path) && !isSystemClutter(f.path))
    .map((f) => ({ name: f.path, ...notAPhotoReason(f.path) }));
  const dirs = images.map((f) => f.path.split('/').filter(Boolean).slice(0, -1));
  let common = 0;
  while (dirs.length > 0 && dirs.every((d) => d.length > common && d[common] === dirs[0]![common])) common++;
  // All photos in one folder: that folder is the class.
  if (dirs.length > 0 && dirs.every((d) => d.length === common)) common = Math.max(0, common - 1);
  const groups = new Map<string, { folder: string; files: File[] }>();
  const loose: string[] = [];
  images.forEach((f, i) => {
    const folder = dirs[i]![common] ?? '';
    const key = nameKey(folder);
    if (!key) {
      loose.push(f.path);
      const message = userMessage(
        'import.notInClassFolder',
        'it is not inside a class folder, so its class is unknown; put it in the folder of its class',
      );
      skipped.push({ name: f.path, reason: message.text, message });
      return;
    }
    const group = groups.get(key);
    if (group) group.files.push(f.file);
    else groups.set(key, { folder, files: [f.file] });
  });
  const list = [...groups.values()];
  const names = uniqueNames(list.map((g) => g.folder));
  return { classes: new Map(list.map((g, i) => [names[i]!, g.files])), loose, skipped };
}

/** Files of a zip of class folders (checked for bombs, traversal and damage by readZip). */
export function zipClassFiles(bytes: Uint8Array): ClassFile[] {
  const entries = readZip(bytes, 'classFolders');
  return [...entries].map(([path, data]) => {
    const name = path.split('/').pop()!;
    const type = TYPES[name.split('.').pop()!.toLowerCase()] ?? '';
    return { path, file: new File([data as Uint8Array<ArrayBuffer>], name, { type }) };
  });
}

export interface DatasetReport {
  classes: { name: string; created: boolean; report: ImportReport }[];
  loose: string[];
  /** Files that went into no class, each with why: not a photo Kiln reads, or not in a class folder. */
  skipped: RefusedFile[];
  cancelled: boolean;
  stoppedBy: string | null;
  /** `stoppedBy` as a translatable message. */
  stoppedByMessage?: UserMessage | null;
  /** The class the import stopped at when the disk filled up before that class could be made. */
  stoppedAt?: string;
}

/** Photos added and files refused so far, over every class of the import. */
export function totals(report: Pick<DatasetReport, 'classes'>): { added: number; refused: number } {
  return {
    added: report.classes.reduce((sum, c) => sum + c.report.added, 0),
    refused: report.classes.reduce((sum, c) => sum + c.report.refused.length, 0),
  };
}

export async function importClassFolders(
  db: KilnDB,
  projectId: string,
  files: readonly ClassFile[],
  control: { onProgress?: (p: ImportProgress) => void; isCancelled?: () => boolean } = {},
): Promise<DatasetReport> {
  const { classes, loose, skipped } = byClassFolder(files);
  if (classes.size === 0) {
    throw new UserError(
      'import.noClassFolders',
      'No class folders with photos were found. Put each class’s photos in a folder named after the class.',
    );
  }
  const quantity = (await getProject(db, projectId))?.quantity ?? null;
  if (quantity) return importValueFolders(db, projectId, quantity, classes, { loose, skipped }, files, control);
  const existing = await listClasses(db, projectId);
  // Refused photos are named by their path in the folder or zip, as the files that went into no class are.
  const pathOf = new Map(files.map((f) => [f.file, f.path]));
  const total = [...classes.values()].reduce((sum, list) => sum + list.length, 0);
  let done = 0;
  const out: DatasetReport = { classes: [], loose, skipped, cancelled: false, stoppedBy: null };
  let order = existing.reduce((max, c) => Math.max(max, c.order + 1), 0);
  for (const [name, list] of classes) {
    // An existing class of the same name (by nameKey) takes the photos.
    let record: ClassRecord | undefined = existing.find((c) => nameKey(c.name) === nameKey(name));
    const created = !record;
    if (!record) {
      record = { id: crypto.randomUUID(), projectId, name, order: order++, createdAt: Date.now() };
      try {
        await putClass(db, record);
      } catch (error) {
        if (!isQuotaError(error)) throw error;
        // The disk filled up before this class could be made: what went in stays, said for the whole import.
        const { added, refused } = totals(out);
        out.stoppedByMessage = diskFullMessage(added, total - added - refused);
        out.stoppedBy = out.stoppedByMessage.text;
        out.stoppedAt = record.name;
        break;
      }
      existing.push(record);
    }
    const report = await importFolder(db, { projectId, classId: record.id }, list, pathOf, { done, total }, control);
    done += list.length;
    out.classes.push({ name: record.name, created, report });
    if (report.stoppedBy) {
      // The class's own count would hide the classes never reached: say it for the whole import.
      const { added, refused } = totals(out);
      report.stoppedByMessage = diskFullMessage(added, total - added - refused);
      report.stoppedBy = report.stoppedByMessage.text;
    }
    if (stopsImport(out, report)) break;
  }
  await touchProject(db, projectId);
  return out;
}

/** One folder's photos into the target, refused ones named by their path in the folder or zip. */
async function importFolder(
  db: KilnDB,
  target: ImportTarget,
  list: File[],
  pathOf: Map<File, string>,
  { done, total }: { done: number; total: number },
  control: { onProgress?: (p: ImportProgress) => void; isCancelled?: () => boolean },
): Promise<ImportReport> {
  const report = await importImages(
    db,
    target,
    list.map((file) => ({ kind: 'file' as const, file })),
    { onProgress: (p) => control.onProgress?.({ done: done + p.done, total }), isCancelled: control.isCancelled },
  );
  const pathByName = new Map(list.toReversed().map((file) => [file.name, pathOf.get(file) ?? file.name]));
  report.refused = report.refused.map((r) => ({ ...r, name: pathByName.get(r.name) ?? r.name }));
  return report;
}

/** Whether a folder's import ended the whole import (Cancel, a full disk); if so, the import's report says so. */
function stopsImport(out: DatasetReport, report: ImportReport): boolean {
  if (!report.cancelled && !report.stoppedBy) return false;
  out.cancelled = report.cancelled;
  out.stoppedBy = report.stoppedBy;
  out.stoppedByMessage = report.stoppedByMessage ?? null;
  return true;
}

/** Only the "changed" time: on a full disk this small write may fail too, and the photos are in. */
async function touchProject(db: KilnDB, projectId: string): Promise<void> {
  await updateProject(db, projectId, {}).catch((error: unknown) => {
    if (!isQuotaError(error)) throw error;
  });
}

/**
 * A "Predict a number" project's folders: each folder is named by a value ("7", "7.5") and its photos get that value,
 * all in the project's one class record. A folder whose name is not a value in the range is refused, naming it.
 */
async function importValueFolders(
  db: KilnDB,
  projectId: string,
  quantity: Quantity,
  classes: Map<string, File[]>,
  { loose, skipped }: { loose: DatasetReport['loose']; skipped: RefusedFile[] },
  files: readonly ClassFile[],
  control: { onProgress?: (p: ImportProgress) => void; isCancelled?: () => boolean },
): Promise<DatasetReport> {
  const holder = (await listClasses(db, projectId))[0];
  if (!holder) throw new UserError('class.goneThat', 'That class no longer exists.');
  const pathOf = new Map(files.map((f) => [f.file, f.path]));
  const out: DatasetReport = { classes: [], loose, skipped: [...skipped], cancelled: false, stoppedBy: null };
  const valued = [...classes].flatMap(([name, list]) => {
    const value = valueFromFolderName(name, quantity);
    if (value !== null) return [{ name, value, list }];
    for (const file of list) {
      const message = userMessage(
        'import.folderNotValue',
        `its folder “${name}” is not a value from ${quantity.min} to ${quantity.max}; name each folder by its photos’ value`,
        { folder: name, min: quantity.min, max: quantity.max },
      );
      out.skipped.push({ name: pathOf.get(file) ?? file.name, reason: message.text, message });
    }
    return [];
  });
  const total = valued.reduce((sum, v) => sum + v.list.length, 0);
  let done = 0;
  for (const { name, value, list } of valued) {
    const report = await importFolder(db, { projectId, classId: holder.id, value }, list, pathOf, { done, total }, control);
    done += list.length;
    out.classes.push({ name, created: false, report });
    if (stopsImport(out, report)) break;
  }
  await touchProject(db, projectId);
  return out;
}
