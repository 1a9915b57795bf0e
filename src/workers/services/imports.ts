/**
 * Whole sets coming in: a Kiln project file or classroom pack, a Teachable Machine project (.tm) or
 * model, and a zip or folder of class folders.
 */
import type { Count } from '../../api/job';
import type { ProjectRecord } from '../../api/types';
import { importClassFolders, zipClassFiles, type ClassFile, type DatasetReport } from '../dataset-import';
import type { Job } from '../jobs';
import { importProjectFile, ProjectFileError } from '../project-file';
import { rememberRefused } from '../refused';
import { importTeachableMachine } from '../tm-import-service';
import { importTmProject, type TmProjectReport } from '../tm-project-import';
import type { StudioDeps } from './deps';

export function importsService(deps: StudioDeps) {
  return {
    /** A project file or classroom pack; a pack's image model is stored and used when this device lacks it. */
    async importProject({ file }: { file: File }, job: Job): Promise<ProjectRecord> {
      const engine = await deps.engine();
      const project = await importProjectFile(await deps.db(), new Uint8Array(await file.arrayBuffer()), {
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
      job.changed('projects');
      return project;
    },

    /** A Teachable Machine project file (.tm): a new project with its classes and photos; null when cancelled. */
    async importTmProject({ file }: { file: File }, job: Job<Count>): Promise<TmProjectReport | null> {
      const database = await deps.db();
      job.changed('projects');
      const report = await importTmProject(database, file.name, new Uint8Array(await file.arrayBuffer()), {
        onProgress: (progress) => job.progress(progress),
        isCancelled: () => job.isCancelled(),
      });
      if (report)
        await rememberRefused(
          database,
          report.project.id,
          report.classes.map((c) => ({ className: c.name, report: c.report })),
        );
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
