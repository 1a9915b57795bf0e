/** Projects, classes and photos: every write goes through here, then tells the other tabs. */
import { DEFAULT_BACKBONE } from '../ml/backbone-catalogue';
import type { ClassRecord, ImportProgress, ImportReport, ProjectRecord, RefusedEntry } from '../api/types';
import { deleteClassCascade, getClass, listClasses, putClass } from '../storage/classes';
import { appendRefused, clearRefused, deleteProjectCascade, putProject, updateProject } from '../storage/projects';
import { deleteSamples as removeSamples, updateSamples } from '../storage/samples';
import { announce, db, jobs, readyPredictor } from './context';
import { importImages } from './importer';
import { UserError } from '../api/user-message';

function cleanName(name: string, what: 'project' | 'class'): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (!trimmed) {
    throw what === 'project'
      ? new UserError('name.projectEmpty', `Give the ${what} a name.`)
      : new UserError('name.classEmpty', `Give the ${what} a name.`);
  }
  if (trimmed.length > 80) {
    throw what === 'project'
      ? new UserError('name.projectTooLong', `Keep the ${what} name under 80 characters.`, { max: 80 })
      : new UserError('name.classTooLong', `Keep the ${what} name under 80 characters.`, { max: 80 });
  }
  return trimmed;
}

async function forgetModel(projectId: string): Promise<void> {
  (await readyPredictor().catch(() => null))?.forget(projectId);
}

export async function createProject(name: string): Promise<ProjectRecord> {
  const now = Date.now();
  const project: ProjectRecord = {
    id: crypto.randomUUID(),
    name: cleanName(name, 'project'),
    createdAt: now,
    updatedAt: now,
    backboneId: DEFAULT_BACKBONE.id,
    cropMode: 'center',
    activeRunId: null,
  };
  await putProject(await db(), project);
  announce('projects');
  return project;
}

export async function renameProject(id: string, name: string): Promise<ProjectRecord> {
  const project = await updateProject(await db(), id, { name: cleanName(name, 'project') });
  announce('projects');
  announce('project', id);
  return project;
}

export async function deleteProject(id: string): Promise<void> {
  await forgetModel(id);
  await deleteProjectCascade(await db(), id);
  announce('projects');
  announce('project', id);
}

export async function addClass(projectId: string, name: string): Promise<ClassRecord> {
  const database = await db();
  const clean = cleanName(name, 'class');
  const existing = await listClasses(database, projectId);
  if (existing.some((c) => c.name.toLowerCase() === clean.toLowerCase())) {
    throw new UserError('name.classTaken', `There is already a class called "${clean}".`, { name: clean });
  }
  const record: ClassRecord = {
    id: crypto.randomUUID(),
    projectId,
    name: clean,
    order: existing.reduce((max, c) => Math.max(max, c.order + 1), 0),
    createdAt: Date.now(),
  };
  await putClass(database, record);
  await updateProject(database, projectId, {});
  announce('project', projectId);
  return record;
}

export async function renameClass(id: string, name: string): Promise<ClassRecord> {
  const database = await db();
  const current = await getClass(database, id);
  if (!current) throw new UserError('class.gone', 'This class no longer exists.');
  const clean = cleanName(name, 'class');
  const siblings = await listClasses(database, current.projectId);
  if (siblings.some((c) => c.id !== id && c.name.toLowerCase() === clean.toLowerCase())) {
    throw new UserError('name.classTaken', `There is already a class called "${clean}".`, { name: clean });
  }
  const next = { ...current, name: clean };
  await putClass(database, next);
  await forgetModel(current.projectId);
  announce('project', current.projectId);
  return next;
}

export async function deleteClass(id: string): Promise<void> {
  const database = await db();
  const current = await getClass(database, id);
  if (!current) return;
  await deleteClassCascade(database, id);
  await forgetModel(current.projectId);
  announce('project', current.projectId);
}

/**
 * Keeps the files an import refused on the project, for the health check after a reload. Only a
 * record for the person: failing to write it (a full disk) must not fail the import.
 */
export async function rememberRefused(
  projectId: string,
  reports: readonly { className: string; report: Pick<ImportReport, 'refused'> }[],
): Promise<void> {
  const entries: RefusedEntry[] = reports.flatMap(({ className, report }) => report.refused.map((r) => ({ ...r, className })));
  if (entries.length === 0) return;
  try {
    await appendRefused(await db(), projectId, entries);
  } catch {
    // The import's own report still lists them.
  }
}

/** Empties the project's list of refused files ("Clear this list" in the health check). */
export async function forgetRefused(projectId: string): Promise<void> {
  await clearRefused(await db(), projectId);
  announce('project', projectId);
}

async function classNameOf(classId: string): Promise<string> {
  return (await getClass(await db(), classId).catch(() => undefined))?.name ?? '';
}

export async function addImages(
  projectId: string,
  classId: string,
  files: File[],
  jobId: string | null,
  onProgress?: (progress: ImportProgress) => void,
  options: { testOnly?: boolean } = {},
): Promise<ImportReport> {
  const token = jobs.token(jobId);
  try {
    const items = files.map((file) => ({ kind: 'file' as const, file }));
    const report = await importImages(await db(), { projectId, classId, testOnly: options.testOnly === true }, items, {
      onProgress,
      isCancelled: token.isCancelled,
    });
    if (report.refused.length) await rememberRefused(projectId, [{ className: await classNameOf(classId), report }]);
    return report;
  } finally {
    token.done();
    announce('project', projectId);
  }
}

export async function addFrames(projectId: string, classId: string, frames: ImageBitmap[]): Promise<ImportReport> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const items = frames.map((bitmap, i) => ({ kind: 'frame' as const, bitmap, name: `webcam-${stamp}-${i + 1}.jpg` }));
  try {
    const report = await importImages(await db(), { projectId, classId }, items);
    if (report.refused.length) await rememberRefused(projectId, [{ className: await classNameOf(classId), report }]);
    return report;
  } finally {
    announce('project', projectId);
  }
}

export async function deleteSamples(projectId: string, ids: string[]): Promise<void> {
  await removeSamples(await db(), ids);
  announce('project', projectId);
}

/** Moves photos to another class of the same project (relabelling what the evaluation found wrong). */
export async function moveSamples(projectId: string, ids: string[], classId: string): Promise<void> {
  const database = await db();
  const target = await getClass(database, classId);
  if (!target || target.projectId !== projectId) throw new UserError('class.goneThat', 'That class no longer exists.');
  await updateSamples(database, ids, (sample) => ({ ...sample, classId }));
  announce('project', projectId);
}

/** Marks photos as "test only" (kept out of training and validation, scored separately), or back. */
export async function setTestOnly(projectId: string, ids: string[], testOnly: boolean): Promise<void> {
  await updateSamples(await db(), ids, ({ testOnly: _, ...sample }) => (testOnly ? { ...sample, testOnly: true } : sample));
  announce('project', projectId);
}
