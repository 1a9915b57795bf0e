import type {
  ClassRecord,
  FilePrediction,
  ImportReport,
  ProjectRecord,
  RefusedFile,
  RunRecord,
  SampleRecord,
} from '../../shared/types';
import { listClasses } from '../../storage/classes';
import { getProject } from '../../storage/projects';
import { getRun } from '../../storage/runs';
import { listSamplesOfClass } from '../../storage/samples';
import { studio } from './studio.svelte';

export interface Thumb {
  id: string;
  name: string;
  url: string;
  testOnly: boolean;
}

export interface ClassView {
  record: ClassRecord;
  /** Photos for training and validation. */
  count: number;
  /** Photos kept for the test set. */
  testCount: number;
  /** Bytes its stored photos and thumbnails take. */
  bytes: number;
  thumbs: Thumb[];
}

export interface ImportNotice {
  id: number;
  className: string;
  added: number;
  refused: RefusedFile[];
  stoppedBy: string | null;
  cancelled: boolean;
}

export interface PreviewResult extends FilePrediction {
  url: string;
}

let noticeId = 0;

/** The open project: its classes and photos, imports, training and preview. */
class OpenProject {
  project = $state.raw<ProjectRecord | null>(null);
  classes = $state.raw<ClassView[]>([]);
  missing = $state(false);
  notices = $state.raw<ImportNotice[]>([]);
  /** Every file refused by this session's imports, for the health check (notices can be dismissed). */
  refused = $state.raw<{ className: string; name: string; reason: string }[]>([]);
  importing = $state.raw<{ classId: string; done: number; total: number; controller: AbortController } | null>(null);
  activeRun = $state.raw<RunRecord | null>(null);
  previews = $state.raw<PreviewResult[]>([]);
  previewError = $state<string | null>(null);
  predicting = $state(false);

  get totalPhotos(): number {
    return this.classes.reduce((sum, c) => sum + c.count, 0);
  }

  async open(id: string): Promise<void> {
    if (this.project?.id !== id) this.#clear();
    const db = await studio.db();
    const project = await getProject(db, id);
    this.missing = !project;
    this.project = project ?? null;
    if (!project) return;
    await this.reloadClasses();
    this.activeRun = project.activeRunId ? ((await getRun(db, project.activeRunId)) ?? null) : null;
  }

  /** Re-reads the open project after another tab changed it (or deleted it); `classes: false` skips its photos. */
  async refresh(options: { classes: boolean } = { classes: true }): Promise<void> {
    const id = this.project?.id;
    if (!id) return;
    const db = await studio.db();
    const project = await getProject(db, id);
    this.missing = !project;
    this.project = project ?? null;
    if (!project) return;
    if (options.classes) await this.reloadClasses();
    if (project.activeRunId !== this.activeRun?.id) {
      this.activeRun = project.activeRunId ? ((await getRun(db, project.activeRunId)) ?? null) : null;
    }
  }

  #clear(): void {
    for (const view of this.classes) this.#revoke(view.thumbs);
    for (const preview of this.previews) URL.revokeObjectURL(preview.url);
    this.classes = [];
    this.previews = [];
    this.notices = [];
    this.refused = [];
    this.activeRun = null;
    this.previewError = null;
  }

  #revoke(thumbs: Thumb[]): void {
    for (const thumb of thumbs) URL.revokeObjectURL(thumb.url);
  }

  async reloadClasses(): Promise<void> {
    const project = this.project;
    if (!project) return;
    const db = await studio.db();
    const records = await listClasses(db, project.id);
    const views = await Promise.all(records.map(async (record) => this.#view(record, await listSamplesOfClass(db, record.id))));
    for (const old of this.classes) this.#revoke(old.thumbs);
    this.classes = views;
  }

  #view(record: ClassRecord, samples: SampleRecord[]): ClassView {
    return {
      record,
      count: samples.filter((s) => !s.testOnly).length,
      testCount: samples.filter((s) => s.testOnly).length,
      bytes: samples.reduce((sum, s) => sum + s.image.size + s.thumb.size, 0),
      thumbs: samples.map((s) => ({ id: s.id, name: s.name, url: URL.createObjectURL(s.thumb), testOnly: s.testOnly === true })),
    };
  }

  async addClass(name: string): Promise<void> {
    if (!this.project) return;
    await studio.client.addClass(this.project.id, name);
    await this.reloadClasses();
  }

  async renameClass(id: string, name: string): Promise<void> {
    await studio.client.renameClass(id, name);
    await this.reloadClasses();
  }

  async deleteClass(id: string): Promise<void> {
    await studio.client.deleteClass(id);
    await this.reloadClasses();
  }

  async deletePhoto(id: string): Promise<void> {
    if (!this.project) return;
    await studio.client.deleteSamples(this.project.id, [id]);
    await this.reloadClasses();
  }

  /** Marks a photo as test only (or back to training). */
  async setTestOnly(id: string, testOnly: boolean): Promise<void> {
    if (!this.project) return;
    await studio.client.setTestOnly(this.project.id, [id], testOnly);
    await this.reloadClasses();
  }

  async addImages(classId: string, files: File[], testOnly = false): Promise<void> {
    if (!this.project || files.length === 0) return;
    const controller = new AbortController();
    this.importing = { classId, done: 0, total: files.length, controller };
    try {
      const report = await studio.client.addImages(this.project.id, classId, files, {
        signal: controller.signal,
        testOnly,
        onProgress: (p) => {
          // Progress travels on its own channel and can arrive after the result: ignore late news.
          if (this.importing?.controller === controller) this.importing = { classId, done: p.done, total: p.total, controller };
        },
      });
      this.#report(classId, report);
    } finally {
      this.importing = null;
      await this.reloadClasses();
    }
  }

  /** A zip or folder of class folders: classes made as needed, one progress bar and Cancel for all. */
  async importClassFolders(source: { zip: File } | { files: { path: string; file: File }[] }): Promise<void> {
    if (!this.project) return;
    const controller = new AbortController();
    this.importing = { classId: '', done: 0, total: 'files' in source ? source.files.length : 0, controller };
    try {
      const result = await studio.client.importClassFolders(this.project.id, source, {
        signal: controller.signal,
        onProgress: (p) => {
          if (this.importing?.controller === controller)
            this.importing = { classId: '', done: p.done, total: p.total, controller };
        },
      });
      await this.reloadClasses();
      for (const entry of result.classes) {
        const id = this.classes.find((c) => c.record.name === entry.name)?.record.id;
        if (id) this.#report(id, entry.report);
      }
    } finally {
      this.importing = null;
      await this.reloadClasses();
    }
  }

  async addFrames(classId: string, frames: ImageBitmap[]): Promise<void> {
    if (!this.project || frames.length === 0) return;
    const report = await studio.client.addFrames(this.project.id, classId, frames);
    if (report.refused.length || report.stoppedBy) this.#report(classId, report);
    await this.reloadClasses();
  }

  #report(classId: string, report: ImportReport): void {
    if (report.refused.length === 0 && !report.stoppedBy && !report.cancelled) return;
    const className = this.classes.find((c) => c.record.id === classId)?.record.name ?? '';
    this.refused = [...this.refused, ...report.refused.map((r) => ({ className, name: r.name, reason: r.reason }))];
    this.notices = [
      ...this.notices,
      {
        id: ++noticeId,
        className,
        added: report.added,
        refused: report.refused,
        stoppedBy: report.stoppedBy,
        cancelled: report.cancelled,
      },
    ];
  }

  dismissNotice(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
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
      await studio.client.predictFiles(project.id, files, (index, result) => {
        this.previews = [...this.previews, { ...result, url: urls[index]! }];
      });
    } catch (error) {
      this.previewError = error instanceof Error ? error.message : String(error);
      urls.forEach((u) => {
        if (!this.previews.some((p) => p.url === u)) URL.revokeObjectURL(u);
      });
    } finally {
      this.predicting = false;
    }
  }
}

export const openProject = new OpenProject();
