/**
 * A zip of photos in class folders given to "Open a project file": it becomes a new project named after the file,
 * one class per folder, as if the person had made the project and added the zip to it.
 */
import type { ImportProgress, ProjectImportReport, ProjectRecord } from '../api/types';
import { DEFAULT_BACKBONE } from '../ml/backbone-catalogue';
import { importedName } from '../shared/names';
import type { KilnDB } from '../storage/db';
import { deleteProjectCascade, listProjects, putProject } from '../storage/projects';
import { importClassFolders, zipClassFiles } from './dataset-import';

export async function classFoldersAsProject(
  db: KilnDB,
  fileName: string,
  bytes: Uint8Array,
  control: { onProgress?: (p: ImportProgress) => void; isCancelled?: () => boolean } = {},
): Promise<ProjectImportReport | null> {
  const files = zipClassFiles(bytes);
  const now = Date.now();
  const taken = (await listProjects(db)).map((p) => p.name);
  const project: ProjectRecord = {
    id: crypto.randomUUID(),
    name: importedName(fileName.replace(/\.zip$/i, ''), taken, 'Imported photos'),
    createdAt: now,
    updatedAt: now,
    backboneId: DEFAULT_BACKBONE.id,
    cropMode: 'center',
    activeRunId: null,
  };
  await putProject(db, project);
  try {
    const report = await importClassFolders(db, project.id, files, control);
    if (report.cancelled) {
      await deleteProjectCascade(db, project.id);
      return null;
    }
    return {
      project,
      classes: report.classes.map(({ name, report }) => ({ name, report })),
      ignored: [],
      skipped: report.skipped,
      stoppedBy: report.stoppedBy,
      stoppedByMessage: report.stoppedByMessage ?? null,
    };
  } catch (error) {
    // Refused (no class folders after all, say): no empty project is left behind.
    await deleteProjectCascade(db, project.id);
    throw error;
  }
}
