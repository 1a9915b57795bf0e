import type {
  ClassRecord,
  ExplainSource,
  Explanation,
  FilePrediction,
  ImportReport,
  Prediction,
  ProjectRecord,
  RefusedEntry,
  RefusedFile,
  RunRecord,
  SampleRecord,
} from '../../api/types';
import type { UserMessage } from '../../api/user-message';
import type { ClassStats, Confidences, DatasetReport } from '../../api/contract';
import { REFUSED_KEPT } from '../../api/types';
import { listClasses } from '../../storage/classes';
import { getProject } from '../../storage/projects';
import { getRun } from '../../storage/runs';
import { isolate } from '../i18n/bidi';
import { formatList } from '../i18n/format';
import { errorText } from '../i18n/messages';
import { getSamples, listSampleIdsOfClass, listSamplesOfProject } from '../../storage/samples';
import { onChange } from './changes';
import { sampleCache } from './sample-cache.svelte';
import { studio } from './studio.svelte';

/**
 * One class as the Collect screen shows it. Only ids are read on open; thumbnails come on demand
 * (sampleCache, <SampleThumb>), and counts and bytes from the worker.
 */
export interface ClassView {
  record: ClassRecord;
  /** Its photo ids, oldest first. */
  ids: string[];
  /** Photos for training and validation. */
  count: number;
  /** Photos kept for the test set. */
  testCount: number;
  /** Bytes its stored photos and thumbnails take. */
  bytes: number;
}

/** Photos deleted a moment ago, kept whole so Undo can put them back exactly. */
export interface DeletedPhotos {
  samples: SampleRecord[];
}

export interface ImportNotice {
  id: number;
  className: string;
  added: number;
  refused: RefusedFile[];
  stoppedBy: string | null;
  /** `stoppedBy` as a translatable message (shown in the page's language). */
  stoppedByMessage: UserMessage | null;
  cancelled: boolean;
}

export interface PreviewResult extends FilePrediction {
  url: string;
  /** The picked file, for "What the model looks at". */
  file: File;
}

let noticeId = 0;

/** What a person called the zip or folder they gave: the zip's name, or the folder's. */
function sourceName(source: { zip: File } | { files: { path: string }[] }): string {
  if ('zip' in source) return source.zip.name;
  return source.files[0]?.path.split('/').find(Boolean) ?? '';
}

/** The open project: its classes and photos, imports, training and preview. */
class OpenProject {
  project = $state.raw<ProjectRecord | null>(null);
  classes = $state.raw<ClassView[]>([]);
  missing = $state(false);
  notices = $state.raw<ImportNotice[]>([]);
  /**
   * Files the project's imports refused, for the health check (notices can be dismissed). The worker
   * keeps them on the project record (the latest REFUSED_KEPT); read when the project opens.
   */
  refused = $state.raw<RefusedEntry[]>([]);
  importing = $state.raw<{ classId: string; done: number; total: number; controller: AbortController } | null>(null);
  activeRun = $state.raw<RunRecord | null>(null);
  previews = $state.raw<PreviewResult[]>([]);
  previewError = $state<string | null>(null);
  predicting = $state(false);
  /** The last delete, until Undo, the next delete, or leaving the screen. */
  lastDeleted = $state.raw<DeletedPhotos | null>(null);
  /** A "Predict a number" project's photo values, by photo id (photos without one are absent). */
  values = $state.raw<ReadonlyMap<string, number>>(new Map());
  /** The active model's confidence in each photo's own class, for the gallery's sort (loaded when asked). */
  confidences = $state.raw<(Confidences & { runId: string }) | null>(null);
  #stats = new Map<string, ClassStats>();
  #reloads = 0;
  #confidencesLoading: Promise<void> | null = null;

  constructor() {
    onChange((change) => {
      if (!this.project || change.projectId !== this.project.id) return;
      if (change.scope === 'project') return this.refresh({ classes: false });
      if (change.scope === 'photos') return this.reloadClasses();
    });
  }

  get totalPhotos(): number {
    return this.classes.reduce((sum, c) => sum + c.count, 0);
  }

  async open(id: string): Promise<void> {
    if (this.project?.id !== id) this.#clear();
    // Counts and bytes follow from the worker: the gallery shows as soon as the ids are read.
    await this.#read(id, 'ids-first');
  }

  /** Re-reads the open project after a change (or its deletion); `classes: false` skips its photos. */
  async refresh(options: { classes: boolean } = { classes: true }): Promise<void> {
    if (this.project) await this.#read(this.project.id, options.classes ? 'with-counts' : 'none');
  }

  async #read(id: string, photos: 'ids-first' | 'with-counts' | 'none'): Promise<void> {
    const db = await studio.db();
    const project = await getProject(db, id);
    this.missing = !project;
    this.project = project ?? null;
    if (!project) return;
    this.refused = project.refused ?? [];
    if (photos !== 'none') await this.reloadClasses({ waitForStats: photos === 'with-counts' });
    if (project.activeRunId !== this.activeRun?.id) {
      this.activeRun = project.activeRunId ? ((await getRun(db, project.activeRunId)) ?? null) : null;
    }
  }

  #clear(): void {
    sampleCache.clear();
    this.#stats = new Map();
    this.lastDeleted = null;
    this.confidences = null;
    for (const preview of this.previews) URL.revokeObjectURL(preview.url);
    this.classes = [];
    this.previews = [];
    this.notices = [];
    this.refused = [];
    this.activeRun = null;
    this.previewError = null;
  }

  /** Re-reads the classes and their photo ids (from an index: no photo is loaded), then counts from the worker. */
  async reloadClasses(options: { waitForStats: boolean } = { waitForStats: true }): Promise<void> {
    const project = this.project;
    if (!project) return;
    const reload = ++this.#reloads;
    const db = await studio.db();
    const stats = studio.api.classStats({ projectId: project.id });
    const records = await listClasses(db, project.id);
    const ids = await Promise.all(records.map((record) => listSampleIdsOfClass(db, record.id)));
    const values = project.quantity ? await this.#readValues(project.id) : new Map<string, number>();
    if (reload !== this.#reloads) {
      stats.catch(() => undefined); // a newer reload shows newer counts
      return;
    }
    this.classes = records.map((record, i) => this.#view(record, ids[i]!));
    this.values = values;
    this.confidences = null;
    sampleCache.refresh();
    const counted = stats.then((found) => {
      if (reload !== this.#reloads) return;
      this.#stats = new Map(Object.entries(found));
      this.classes = this.classes.map((view) => this.#view(view.record, view.ids));
    });
    if (options.waitForStats) await counted;
    else counted.catch(() => undefined);
  }

  /** Every photo's value, read from the photos' records (their blobs are not read). */
  async #readValues(projectId: string): Promise<Map<string, number>> {
    const samples = await listSamplesOfProject(await studio.db(), projectId);
    return new Map(samples.flatMap((s) => (typeof s.value === 'number' ? [[s.id, s.value] as const] : [])));
  }

  /** Gives photos a value, or takes it away (null). */
  async setValues(ids: string[], value: number | null): Promise<void> {
    if (!this.project || ids.length === 0) return;
    await studio.api.setValues({ projectId: this.project.id, ids, value });
  }

  /** Gives the project's photos their values from a CSV file's text; says what was applied and refused. */
  applyValueCsv(text: string) {
    if (!this.project) return Promise.reject(new Error('No project is open.'));
    return studio.api.applyValueCsv({ projectId: this.project.id, text });
  }

  #view(record: ClassRecord, ids: string[]): ClassView {
    const stats = this.#stats.get(record.id);
    // Until the worker has counted, every photo counts as a training photo.
    const testCount = stats && stats.count + stats.testCount === ids.length ? stats.testCount : 0;
    return { record, ids, count: ids.length - testCount, testCount, bytes: stats?.bytes ?? 0 };
  }

  /** Loads the active model's confidence in every photo's own class (kept until photos or the model change). */
  loadConfidences(): Promise<void> {
    const project = this.project;
    const runId = project?.activeRunId;
    if (!project || !runId || this.confidences?.runId === runId) return Promise.resolve();
    // Every class's gallery may ask at once: one request serves them all.
    this.#confidencesLoading ??= studio.api
      .ownClassConfidences({ projectId: project.id })
      .then((found) => {
        if (this.project?.activeRunId === runId) this.confidences = { ...found, runId };
      })
      .finally(() => (this.#confidencesLoading = null));
    return this.#confidencesLoading;
  }

  async addClass(name: string): Promise<void> {
    if (!this.project) return;
    await studio.api.addClass({ projectId: this.project.id, name });
  }

  /** `from`: the name shown when the person began renaming (another tab may have renamed it since). */
  async renameClass(id: string, name: string, from?: string): Promise<void> {
    await studio.api.renameClass({ id, name, from });
  }

  async deleteClass(id: string): Promise<void> {
    await studio.api.deleteClass({ id });
  }

  /** Deletes photos, keeping their records so Undo can put them back. */
  async deletePhotos(ids: string[]): Promise<void> {
    if (!this.project || ids.length === 0) return;
    const kept = (await getSamples(await studio.db(), ids)).filter((s): s is SampleRecord => s !== undefined);
    await studio.api.deleteSamples({ projectId: this.project.id, ids });
    // Nothing found (already gone, e.g. a held Delete key): keep what Undo can restore.
    if (kept.length) this.lastDeleted = { samples: kept };
  }

  async deletePhoto(id: string): Promise<void> {
    await this.deletePhotos([id]);
  }

  /** Puts the last deleted photos back exactly as they were. */
  async undoDelete(): Promise<void> {
    const deleted = this.lastDeleted;
    if (!this.project || !deleted) return;
    this.lastDeleted = null;
    await studio.api.restoreSamples({ projectId: this.project.id, samples: deleted.samples });
  }

  /** Drops what Undo could restore (leaving the screen ends the chance to undo). */
  forgetDeleted(): void {
    this.lastDeleted = null;
  }

  async movePhotos(ids: string[], classId: string): Promise<void> {
    if (!this.project || ids.length === 0) return;
    await studio.api.moveSamples({ projectId: this.project.id, ids, classId });
  }

  /** Marks photos as test only (or back to training). */
  async setTestOnly(ids: string | string[], testOnly: boolean): Promise<void> {
    if (!this.project) return;
    await studio.api.setTestOnly({ projectId: this.project.id, ids: typeof ids === 'string' ? [ids] : ids, testOnly });
  }

  /** Adds photos to a class; in a "Predict a number" project, `value` is given to each (absent: none yet). */
  async addImages(classId: string, files: File[], testOnly = false, value?: number): Promise<void> {
    if (!this.project || files.length === 0) return;
    const controller = new AbortController();
    this.importing = { classId, done: 0, total: files.length, controller };
    try {
      const report = await studio.api.addImages(
        { projectId: this.project.id, classId, files, testOnly, ...(value !== undefined ? { value } : {}) },
        {
          signal: controller.signal,
          onProgress: (p) => {
            // Progress travels on its own channel and can arrive after the result: ignore late news.
            if (this.importing?.controller === controller) this.importing = { classId, done: p.done, total: p.total, controller };
          },
        },
      );
      this.#report(this.#className(classId), report);
    } finally {
      // The new photos and counts are shown by now: the changes arrive before the call resolves.
      this.importing = null;
    }
  }

  /** A zip or folder of class folders: classes made as needed, one progress bar and Cancel for all. */
  async importClassFolders(source: { zip: File } | { files: { path: string; file: File }[] }): Promise<void> {
    if (!this.project) return;
    const controller = new AbortController();
    this.importing = { classId: '', done: 0, total: 'files' in source ? source.files.length : 0, controller };
    try {
      const result: DatasetReport = await studio.api.importClassFolders(
        { projectId: this.project.id, source },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (this.importing?.controller === controller)
              this.importing = { classId: '', done: p.done, total: p.total, controller };
          },
        },
      );
      const cancelled = result.cancelled && !result.stoppedBy;
      if (!cancelled && !result.stoppedBy) {
        // One summary for the whole folder or zip: how many photos went in, and every file that did not, with why
        // (not a photo, in no class folder, or refused when read).
        const refused = [...result.skipped, ...result.classes.flatMap((c) => c.report.refused)];
        const className = new Map(result.classes.flatMap((c) => c.report.refused.map((r) => [r, c.name] as const)));
        this.#report(
          sourceName(source),
          {
            added: result.classes.reduce((sum, c) => sum + c.report.added, 0),
            refused,
            cancelled: false,
            stoppedBy: null,
            stoppedByMessage: null,
          },
          (file) => className.get(file) ?? sourceName(source),
        );
        return;
      }
      for (const entry of result.classes) {
        if (cancelled && entry === result.classes.at(-1)) continue;
        // A full disk's message already counts the whole import (the worker says it for all classes).
        this.#report(entry.name, cancelled ? { ...entry.report, cancelled: false } : entry.report);
      }
      const last = result.classes.at(-1);
      if (cancelled) {
        // Cancel ends the whole import: one notice, counting every class it reached.
        // Each name isolated for direction: the notice shows it with ti() and BidiText.
        const names = formatList(result.classes.map((c) => isolate(c.name)));
        this.#report(
          names,
          {
            added: result.classes.reduce((sum, c) => sum + c.report.added, 0),
            refused: last?.report.refused ?? [],
            cancelled: true,
            stoppedBy: null,
            stoppedByMessage: null,
          },
          last?.name,
        );
      } else if (result.stoppedBy && !last?.report.stoppedBy) {
        // The disk filled up while making a class: no class's report carries it.
        this.#report(result.stoppedAt ?? last?.name ?? '', {
          added: 0,
          refused: [],
          cancelled: false,
          stoppedBy: result.stoppedBy,
          stoppedByMessage: result.stoppedByMessage ?? null,
        });
      }
      if (result.skipped.length && !cancelled) {
        // The disk filled up: files that went into no class are still named, each with why.
        this.#report(sourceName(source), {
          added: result.classes.reduce((sum, c) => sum + c.report.added, 0),
          refused: result.skipped,
          cancelled: false,
          stoppedBy: null,
          stoppedByMessage: null,
        });
      }
    } finally {
      // The new photos and counts are shown by now: the changes arrive before the call resolves.
      this.importing = null;
    }
  }

  async addFrames(classId: string, frames: ImageBitmap[], value?: number): Promise<void> {
    if (!this.project || frames.length === 0) return;
    const report = await studio.api.addFrames({
      projectId: this.project.id,
      classId,
      frames,
      ...(value !== undefined ? { value } : {}),
    });
    if (report.refused.length || report.stoppedBy) this.#report(this.#className(classId), report);
  }

  #className(classId: string): string {
    return this.classes.find((c) => c.record.id === classId)?.record.name ?? '';
  }

  /** `refusedIn`: the class the refused files were for, when `className` names more than one (or, per file). */
  #report(className: string, report: ImportReport, refusedIn: string | ((file: RefusedFile) => string) = className): void {
    if (report.refused.length === 0 && !report.stoppedBy && !report.cancelled) return;
    const classOf = typeof refusedIn === 'string' ? () => refusedIn : refusedIn;
    // The worker has stored the same entries on the project (rememberRefused); shown at once here.
    this.refused = [
      ...this.refused,
      ...report.refused.map((r) => ({ className: classOf(r), name: r.name, reason: r.reason, message: r.message })),
    ].slice(-REFUSED_KEPT);
    this.notices = [
      ...this.notices,
      {
        id: ++noticeId,
        className,
        added: report.added,
        refused: report.refused,
        stoppedBy: report.stoppedBy,
        stoppedByMessage: report.stoppedByMessage ?? null,
        cancelled: report.cancelled,
      },
    ];
  }

  /** Empties the list of refused files, on the project too. */
  async clearRefused(): Promise<void> {
    if (!this.project) return;
    await studio.api.forgetRefused({ projectId: this.project.id });
    this.refused = [];
  }

  dismissNotice(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  /** One webcam frame (handed to the worker, which closes it). */
  /** What the model in use looks at in one photo: every class's heatmap (Grad-CAM) and its answer. */
  explain(source: ExplainSource): Promise<Explanation> {
    if (!this.project) return Promise.reject(new Error('No project is open.'));
    return studio.api.explain({ projectId: this.project.id, source });
  }

  predictFrame(frame: ImageBitmap): Promise<Prediction> {
    if (!this.project) return Promise.reject(new Error('No project is open.'));
    return studio.api.predictFrame({ projectId: this.project.id, frame });
  }

  async predictFiles(files: File[]): Promise<void> {
    const project = this.project;
    if (!project || files.length === 0) return;
    for (const preview of this.previews) URL.revokeObjectURL(preview.url);
    this.previews = [];
    this.previewError = null;
    this.predicting = true;
    const urls = files.map((f) => URL.createObjectURL(f));
    try {
      await studio.api.predictFiles(
        { projectId: project.id, files },
        {
          onProgress: ({ index, result }) =>
            (this.previews = [...this.previews, { ...result, url: urls[index]!, file: files[index]! }]),
        },
      );
    } catch (error) {
      this.previewError = errorText(error);
      urls.forEach((u) => {
        if (!this.previews.some((p) => p.url === u)) URL.revokeObjectURL(u);
      });
    } finally {
      this.predicting = false;
    }
  }
}

export const openProject = new OpenProject();
