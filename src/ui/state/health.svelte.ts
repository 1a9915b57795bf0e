import { NEAR_THRESHOLD, nearThreshold } from '../../api/domain';
import type { HealthReport } from '../../api/types';
import { errorText } from '../i18n/messages';
import { openProject } from './project.svelte';
import { studio } from './studio.svelte';

/** The open project's last health check, and running one (on demand and after each import). */
class Health {
  report = $state.raw<HealthReport | null>(null);
  projectId = $state<string | null>(null);
  progress = $state<{ done: number; total: number } | null>(null);
  error = $state<string | null>(null);
  #nearThreshold = $state<number>(NEAR_THRESHOLD.default);
  /** Held to 0.8–0.999; a value that is not a number (an emptied field) keeps the last one. */
  get nearThreshold(): number {
    return this.#nearThreshold;
  }
  set nearThreshold(value: number) {
    this.#nearThreshold = nearThreshold(value, this.#nearThreshold);
  }
  #controller: AbortController | null = null;
  #fullCheckRunning = false;

  /** `near`: also look for near duplicates (embeds photos not embedded yet). */
  async run(near = true): Promise<void> {
    const project = openProject.project;
    if (!project) return;
    // A quick check after an import must not cancel a full check the person asked for: that one
    // already sees the new photos (or will be asked for again).
    if (!near && this.#fullCheckRunning && this.projectId === project.id) return;
    this.#fullCheckRunning = near;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    if (this.projectId !== project.id) this.report = null;
    this.projectId = project.id;
    this.error = null;
    this.progress = { done: 0, total: 1 };
    try {
      const report = await studio.api.healthCheck(
        { projectId: project.id, nearThreshold: this.nearThreshold, near },
        {
          signal: controller.signal,
          onProgress: (progress) => this.#controller === controller && (this.progress = progress),
        },
      );
      if (this.#controller === controller) this.report = report;
    } catch (e) {
      if (this.#controller === controller && !controller.signal.aborted) this.error = errorText(e);
    } finally {
      if (this.#controller === controller) {
        this.progress = null;
        this.#controller = null;
        this.#fullCheckRunning = false;
      }
    }
  }

  /** Deletes photos as a finding's fix (through the project's delete, so Undo puts them back), then checks again. */
  async remove(ids: string[]): Promise<void> {
    const project = openProject.project;
    if (!project || ids.length === 0) return;
    await openProject.deletePhotos(ids);
    await this.run(this.report?.nearChecked ?? false);
  }

  cancel(): void {
    this.#controller?.abort();
  }
}

export const health = new Health();
