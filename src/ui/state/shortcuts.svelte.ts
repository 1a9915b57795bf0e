import type { ShortcutReport } from '../../api/types';
import { errorText } from '../i18n/messages';
import { studio } from './studio.svelte';

/**
 * The shortcut check of the model in use (src/workers/services/explanation.ts): run once per model when Evaluate
 * shows it, kept while the model stays in use.
 */
class ShortcutCheck {
  report = $state.raw<ShortcutReport | null>(null);
  progress = $state<{ done: number; total: number } | null>(null);
  error = $state<string | null>(null);
  #pending: string | null = null;

  async check(projectId: string, runId: string): Promise<void> {
    if (this.report?.runId === runId || this.#pending === runId) return;
    this.#pending = runId;
    this.report = null;
    this.error = null;
    this.progress = { done: 0, total: 0 };
    try {
      const report = await studio.api.shortcutCheck(
        { projectId },
        { onProgress: (progress) => this.#pending === runId && (this.progress = progress) },
      );
      if (this.#pending === runId) this.report = report;
    } catch (e) {
      if (this.#pending === runId) this.error = errorText(e);
    } finally {
      if (this.#pending === runId) {
        this.#pending = null;
        this.progress = null;
      }
    }
  }
}

export const shortcutCheck = new ShortcutCheck();
