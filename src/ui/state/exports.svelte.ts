import type { Download } from '../../api/contract';
import type { WeightPrecision } from '../../api/domain';
import type { PrecisionCheck } from '../../api/types';
import { demoPageStrings } from '../demo-page-strings';
import { saveFile } from '../download';
import { formatBytes } from '../i18n/format';
import { language, t, ti } from '../i18n/i18n';
import { intlLocale, textDirection } from '../i18n/languages';
import { errorText } from '../i18n/messages';
import { studio } from './studio.svelte';

/** The Export screen's work: files made in the worker and saved, one at a time, with what happened. */
class Exports {
  /** What is being made (a sentence), while it is. */
  busy = $state<string | null>(null);
  error = $state<string | null>(null);
  /** What was saved last, with the file's name isolated for direction (ti()): show it with BidiText. */
  done = $state<string | null>(null);
  /** The last precision check (cleared when another precision is chosen). */
  check = $state.raw<PrecisionCheck | null>(null);

  async #make(busy: string, task: () => Promise<string | null>): Promise<void> {
    this.busy = busy;
    this.error = null;
    this.done = null;
    try {
      this.done = await task();
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = null;
    }
  }

  /** Makes a file in the worker and saves it; `done` says so, with the file's name. */
  #save(busy: string, type: string, make: () => Promise<Download>, saved: (file: Download) => string): Promise<void> {
    return this.#make(busy, async () => {
      const file = await make();
      saveFile(file, type);
      return saved(file);
    });
  }

  checkPrecision(projectId: string, precision: WeightPrecision): Promise<void> {
    return this.#make(t('export.checking'), async () => {
      this.check = await studio.api.checkPrecision({ projectId, precision });
      return null;
    });
  }

  clearCheck(): void {
    this.check = null;
  }

  model(projectId: string, precision: WeightPrecision): Promise<void> {
    return this.#save(
      t('export.preparingModel'),
      'application/zip',
      () => studio.api.exportModel({ projectId, precision }),
      (file) => ti('export.saved', { fileName: file.fileName }),
    );
  }

  project(projectId: string): Promise<void> {
    return this.#save(
      t('export.packingProject'),
      'application/zip',
      () => studio.api.exportProject({ projectId }),
      (file) => ti('export.savedProject', { fileName: file.fileName }),
    );
  }

  classroomPack(projectId: string): Promise<void> {
    return this.#save(
      t('export.packingPack'),
      'application/zip',
      () => studio.api.exportProject({ projectId, withBackbone: true }),
      (file) => ti('export.savedPack', { fileName: file.fileName, size: formatBytes(file.bytes.byteLength) }),
    );
  }

  dataset(projectId: string): Promise<void> {
    return this.#save(
      t('export.packingPhotos'),
      'application/zip',
      () => studio.api.exportDataset({ projectId }),
      (file) => ti('export.savedDataset', { fileName: file.fileName }),
    );
  }

  /**
   * The demo page, in the interface language: its code, direction and digits (the locale every number on screen
   * is written in), and its sentences translated here.
   */
  demo(projectId: string): Promise<void> {
    const code = language();
    const speaks = { language: code, locale: intlLocale(code), direction: textDirection(code), strings: demoPageStrings() };
    return this.#save(
      t('export.preparingDemo'),
      'text/html',
      () => studio.api.exportDemo({ projectId, ...speaks }),
      (file) => ti('export.savedDemo', { fileName: file.fileName }),
    );
  }
}

export const exporting = new Exports();
