/** Photos going into a project (files, webcam frames), and moving, marking and deleting them. */
import type { Count } from '../../api/job';
import type { ImportReport } from '../../api/types';
import { UserError } from '../../api/user-message';
import { csvKey, readValueCsv, type CsvRefusal } from '../../ml/value-csv';
import { parseValue, type Quantity } from '../../ml/regression';
import type { KilnDB } from '../../storage/db';
import { getClass } from '../../storage/classes';
import { clearRefused, getProject } from '../../storage/projects';
import { deleteSamples, listSamplesOfProject, updateSamples } from '../../storage/samples';
import { importImages, type ImportItem } from '../importer';
import type { Job } from '../jobs';
import { rememberRefused } from '../refused';
import type { StudioDeps } from './deps';

/** A "Predict a number" project's quantity, or a refusal when the project predicts classes (or is gone). */
async function quantityOf(db: KilnDB, projectId: string): Promise<Quantity> {
  const quantity = (await getProject(db, projectId))?.quantity;
  if (!quantity) throw new UserError('value.notNumberProject', 'This project tells classes apart: its photos have no values.');
  return quantity;
}

/** A value given with photos, checked against the project's range (a typed value that is off says so). */
async function checkedValue(db: KilnDB, projectId: string, value: number | undefined): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const quantity = await quantityOf(db, projectId);
  const parsed = parseValue(String(value), quantity);
  if ('problem' in parsed)
    throw new UserError(
      'value.outOfRangeTyped',
      `${value} is outside the range of ${quantity.name}, ${quantity.min} to ${quantity.max}.`,
      { value, quantity: quantity.name, min: quantity.min, max: quantity.max },
    );
  return parsed.value;
}

/** What applying a values CSV did: photos given a value, rows refused (naming each), and rows naming no photo. */
export interface ValueCsvReport {
  applied: number;
  refused: CsvRefusal[];
  /** Rows whose file name matches no photo of the project. */
  unmatched: { row: number; name: string }[];
}

export function photosService(deps: StudioDeps) {
  /** Stores the items in one class; remembers what was refused; the photos changed even when it failed. */
  async function add(
    target: { projectId: string; classId: string; testOnly?: boolean; value?: number },
    items: ImportItem[],
    job: Job<Count>,
  ): Promise<ImportReport> {
    const database = await deps.db();
    target = { ...target, value: await checkedValue(database, target.projectId, target.value) };
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
      { files, ...target }: { projectId: string; classId: string; files: File[]; testOnly?: boolean; value?: number },
      job: Job<Count>,
    ) =>
      add(
        target,
        files.map((file) => ({ kind: 'file' as const, file })),
        job,
      ),

    /** Webcam frames (transferred here), named by the time they were taken. */
    addFrames(
      { frames, ...target }: { projectId: string; classId: string; frames: ImageBitmap[]; value?: number },
      job: Job<Count>,
    ) {
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

    /** Gives photos of a "Predict a number" project a value (relabelling), or takes it away (null: unlabelled). */
    async setValues(
      { projectId, ids, value }: { projectId: string; ids: string[]; value: number | null },
      job: Job,
    ): Promise<void> {
      const database = await deps.db();
      const checked = value === null ? null : await checkedValue(database, projectId, value);
      if (checked === null) await quantityOf(database, projectId);
      await updateSamples(database, ids, ({ value: _, ...sample }) =>
        checked === null || checked === undefined ? sample : { ...sample, value: checked },
      );
      job.changed('photos', projectId);
    },

    /**
     * Gives the project's photos their values from a CSV (`file name, value`), matching names without folders or
     * case. Bad rows are refused naming the row; the others still apply.
     */
    async applyValueCsv({ projectId, text }: { projectId: string; text: string }, job: Job): Promise<ValueCsvReport> {
      const database = await deps.db();
      const table = readValueCsv(text, await quantityOf(database, projectId));
      const byName = new Map<string, string[]>();
      for (const sample of await listSamplesOfProject(database, projectId)) {
        const key = csvKey(sample.name);
        byName.set(key, [...(byName.get(key) ?? []), sample.id]);
      }
      const values = new Map<string, number>();
      const unmatched: ValueCsvReport['unmatched'] = [];
      for (const row of table.values) {
        const ids = byName.get(csvKey(row.name));
        if (!ids) unmatched.push({ row: row.row, name: row.name });
        else ids.forEach((id) => values.set(id, row.value));
      }
      await updateSamples(database, [...values.keys()], (sample) => ({ ...sample, value: values.get(sample.id)! }));
      job.changed('photos', projectId);
      return { applied: values.size, refused: table.refused, unmatched };
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
