/**
 * Whole sets coming in: a Kiln project file or classroom pack, a Teachable Machine project (.tm) or
 * model, and a zip or folder of class folders.
 */
import type { Count } from '../../api/job';
import type { ProjectImportReport, ProjectRecord } from '../../api/types';
import { photoProblem } from '../pixels';
import { importClassFolders, zipClassFiles, type ClassFile, type DatasetReport } from '../dataset-import';
import type { Job } from '../jobs';
import { importProjectFile, OtherZipKind, ProjectFileError } from '../project-file';
import { classFoldersAsProject } from '../class-folders-project';
import { rememberProjectImportRefused, rememberRefused } from '../refused';
import { importTeachableMachine } from '../tm-import-service';
import { importTmProject, type TmProjectReport } from '../tm-project-import';
import type { StudioDeps } from './deps';

export function importsService(deps: StudioDeps) {
  return {
    /**
     * The general door: a project file or classroom pack (a pack's image model is stored and used when this device
     * lacks it), and any other zip Kiln knows given to it: a Teachable Machine project or model, or photos in class
     * folders (a new project named after the file). Every photo is decoded on the way in: those that cannot be used
     * are left out and reported (and kept for the health check). Null when cancelled.
     */
    async importProject({ file }: { file: File }, job: Job<Count>): Promise<ProjectImportReport | null> {
      const engine = await deps.engine();
      const database = await deps.db();
      const bytes = new Uint8Array(await file.arrayBuffer());
      const control = { onProgress: (progress: Count) => job.progress(progress), isCancelled: () => job.isCancelled() };
      let report: ProjectImportReport | null;
      try {
        report = await importProjectFile(database, bytes, {
          checkPhoto: photoProblem,
          onProgress: control.onProgress,
          installBackbone: async ({ spec, files }) => {
            try {
              await engine.installPackBackbone(spec, files);
              job.changed('engine');
            } catch (error) {
              const reason = error instanceof Error ? error.message : String(error);
              throw new ProjectFileError(
                'pack.backboneUnusable',
                `The classroom pack's image model cannot be used: ${reason} Make the pack again with "Save a classroom pack".`,
                { reason },
              );
            }
          },
        });
      } catch (error) {
        if (!(error instanceof OtherZipKind)) throw error;
        job.changed('projects');
        if (error.kind === 'tm-project') report = await importTmProject(database, file.name, bytes, control);
        else if (error.kind === 'tm-model') {
          const project = await importTeachableMachine(database, engine, [file]);
          job.changed('engine');
          report = { project, classes: [], ignored: [], stoppedBy: null };
        } else report = await classFoldersAsProject(database, file.name, bytes, control);
      }
      job.changed('projects');
      await rememberProjectImportRefused(database, report);
      return report;
    },

    /** A Teachable Machine project file (.tm): a new project with its classes and photos; null when cancelled. */
    async importTmProject({ file }: { file: File }, job: Job<Count>): Promise<TmProjectReport | null> {
      const database = await deps.db();
      job.changed('projects');
      const report = await importTmProject(database, file.name, new Uint8Array(await file.arrayBuffer()), {
        onProgress: (progress) => job.progress(progress),
        isCancelled: () => job.isCancelled(),
      });
      await rememberProjectImportRefused(database, report);
      return report;
    },

    /** A Teachable Machine image model (zip or its three files): a new project with that model active. */
    async importTeachableMachine({ files }: { files: File[] }, job: Job): Promise<ProjectRecord> {
      const project = await importTeachableMachine(await deps.db(), await deps.engine(), files);
      job.changed('projects');
      job.changed('engine');
      return project;
    },

    /** A zip or a folder of class folders: one class per folder (existing ones reused), all photos in. */
    async importClassFolders(
      { projectId, source }: { projectId: string; source: { zip: File } | { files: ClassFile[] } },
      job: Job<Count>,
    ): Promise<DatasetReport> {
      const database = await deps.db();
      job.changed('photos', projectId);
      job.changed('project', projectId);
      job.changed('projects');
      const files = 'zip' in source ? zipClassFiles(new Uint8Array(await source.zip.arrayBuffer())) : source.files;
      const report = await importClassFolders(database, projectId, files, {
        onProgress: (progress) => job.progress(progress),
        isCancelled: () => job.isCancelled(),
      });
      await rememberRefused(
        database,
        projectId,
        report.classes.map((c) => ({ className: c.name, report: c.report })),
      );
      return report;
    },
  };
}
