import type { ShortcutReport } from '../../api/types';
import { errorText } from '../i18n/messages';
import { studio } from './studio.svelte';

/**
 * The shortcut check of the model in use (src/workers/services/explanation.ts): run once per model when Evaluate
 * shows it, kept while the model stays in use, stopped when Evaluate closes (the worker is then free for the rest).
 */
class ShortcutCheck {
  report = $state.raw<ShortcutReport | null>(null);
  progress = $state<{ done: number; total: number } | null>(null);
  error = $state<string | null>(null);
  #pending: { runId: string; controller: AbortController } | null = null;

  async check(projectId: string, runId: string): Promise<void> {
    if (this.report?.runId === runId || this.#pending?.runId === runId) return;
    this.#pending?.controller.abort();
    const pending = { runId, controller: new AbortController() };
    this.#pending = pending;
    this.report = null;
    this.error = null;
    this.progress = { done: 0, total: 0 };
    try {
      const report = await studio.api.shortcutCheck(
        { projectId },
        {
          signal: pending.controller.signal,
          onProgress: (progress) => this.#pending === pending && (this.progress = progress),
        },
      );
      if (this.#pending === pending) this.report = report;
    } catch (e) {
      if (this.#pending === pending && !pending.controller.signal.aborted) this.error = errorText(e);
    } finally {
      if (this.#pending === pending) {
        this.#pending = null;
        this.progress = null;
      }
    }
  }

  /** Stops a check in progress (Evaluate closed); the next visit starts it again. */
  stop(): void {
    this.#pending?.controller.abort();
    this.#pending = null;
    this.progress = null;
  }
}

export const shortcutCheck = new ShortcutCheck();
