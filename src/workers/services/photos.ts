/** Photos going into a project (files, webcam frames), and moving, marking and deleting them. */
import type { Count } from '../../api/job';
import type { ImportReport } from '../../api/types';
import { UserError } from '../../api/user-message';
import { getClass } from '../../storage/classes';
import { clearRefused } from '../../storage/projects';
import { deleteSamples, updateSamples } from '../../storage/samples';
import { importImages, type ImportItem } from '../importer';
import type { Job } from '../jobs';
import { rememberRefused } from '../refused';
import type { StudioDeps } from './deps';

export function photosService(deps: StudioDeps) {
  /** Stores the items in one class; remembers what was refused; the photos changed even when it failed. */
  async function add(
    target: { projectId: string; classId: string; testOnly?: boolean },
    items: ImportItem[],
    job: Job<Count>,
  ): Promise<ImportReport> {
    const database = await deps.db();
    job.changed('photos', target.projectId);
    const report = await importImages(database, { ...target, testOnly: target.testOnly === true }, items, {
      onProgress: (progress) => job.progress(progress),
      isCancelled: () => job.isCancelled(),
    });
    if (report.refused.length) {
      const className = (await getClass(database, target.classId).catch(() => undefined))?.name ?? '';
      await rememberRefused(database, target.projectId, [{ className, report }]);
      job.changed('project', target.projectId);
    }
    return report;
  }

  return {
    addImages: (
      { files, ...target }: { projectId: string; classId: string; files: File[]; testOnly?: boolean },
      job: Job<Count>,
    ) =>
      add(
        target,
        files.map((file) => ({ kind: 'file' as const, file })),
        job,
      ),

    /** Webcam frames (transferred here), named by the time they were taken. */
    addFrames({ frames, ...target }: { projectId: string; classId: string; frames: ImageBitmap[] }, job: Job<Count>) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const items = frames.map((bitmap, i) => ({ kind: 'frame' as const, bitmap, name: `webcam-${stamp}-${i + 1}.jpg` }));
      return add(target, items, job);
    },

    async deleteSamples({ projectId, ids }: { projectId: string; ids: string[] }, job: Job): Promise<void> {
      await deleteSamples(await deps.db(), ids);
      job.changed('photos', projectId);
    },

    /** Moves photos to another class of the same project (relabelling what the evaluation found wrong). */
    async moveSamples(
      { projectId, ids, classId }: { projectId: string; ids: string[]; classId: string },
      job: Job,
    ): Promise<void> {
      const database = await deps.db();
      const target = await getClass(database, classId);
      if (!target || target.projectId !== projectId) throw new UserError('class.goneThat', 'That class no longer exists.');
      await updateSamples(database, ids, (sample) => ({ ...sample, classId }));
      job.changed('photos', projectId);
    },

    /** Marks photos as "test only" (kept out of training and validation, scored separately), or back. */
    async setTestOnly(
      { projectId, ids, testOnly }: { projectId: string; ids: string[]; testOnly: boolean },
      job: Job,
    ): Promise<void> {
      await updateSamples(await deps.db(), ids, ({ testOnly: _, ...sample }) =>
        testOnly ? { ...sample, testOnly: true } : sample,
      );
      job.changed('photos', projectId);
    },

    /** Empties the project's list of refused files ("Clear this list" in the health check). */
    async forgetRefused({ projectId }: { projectId: string }, job: Job): Promise<void> {
      await clearRefused(await deps.db(), projectId);
      job.changed('project', projectId);
    },
  };
}
