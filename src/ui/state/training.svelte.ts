import { isTrainingHeld } from '../../api/locks';
import { DEFAULT_SETTINGS, normalizeSettings, TEACHABLE_MACHINE_SETTINGS, type TrainingSettings } from '../../api/settings';
import type { BackboneChoice, CropMode, EpochLog, RunRecord, TrainProgress } from '../../api/types';
import { listRuns } from '../../storage/runs';
import type { UserMessage } from '../../api/user-message';
import { errorText } from '../i18n/messages';
import { openProject } from './project.svelte';
import { studio } from './studio.svelte';

export type TrainingState =
  | { state: 'idle' }
  | { state: 'running'; progress: TrainProgress | null; controller: AbortController }
  | { state: 'failed'; message: string; error: unknown }
  | { state: 'stopped-early' };

/** Training for the open project: settings, the backbone, the run in progress, an interrupted run to resume. */
class Training {
  settings = $state.raw<TrainingSettings>(DEFAULT_SETTINGS);
  backbones = $state.raw<BackboneChoice[]>([]);
  state = $state.raw<TrainingState>({ state: 'idle' });
  /** Epochs of the model being trained (the final model, after any cross-validation folds). */
  epochs = $state.raw<EpochLog[]>([]);
  /** Something the worker said while training, such as a switch of backend. */
  notice = $state<string | null>(null);
  /** The notice with its message key, shown in the page's language. */
  noticeMessage = $state.raw<UserMessage | null>(null);
  /** A run left 'running' by a closed tab: it can resume from its last checkpoint. */
  interrupted = $state.raw<RunRecord | null>(null);
  #projectId: string | null = null;

  get running(): boolean {
    return this.state.state === 'running';
  }

  /** Reads the project's settings and looks for a run interrupted by a closed tab. */
  async load(projectId: string): Promise<void> {
    if (this.#projectId !== projectId && !this.running) {
      this.state = { state: 'idle' };
      this.epochs = [];
      this.notice = null;
      this.noticeMessage = null;
    }
    this.#projectId = projectId;
    const project = openProject.project;
    this.settings = normalizeSettings(project?.settings);
    await Promise.all([this.#findInterrupted(projectId), this.refreshBackbones()]);
  }

  async refreshBackbones(): Promise<void> {
    if (studio.status) this.backbones = await studio.client.listBackbones();
  }

  async #findInterrupted(projectId: string): Promise<void> {
    if (this.running) return;
    const runs = await listRuns(await studio.db(), projectId);
    const candidates = runs.filter((r) => r.status === 'running');
    for (const run of candidates) {
      if (!(await isTrainingHeld(run.id))) {
        this.interrupted = run;
        return;
      }
    }
    this.interrupted = null;
  }

  async updateSettings(change: Partial<TrainingSettings>): Promise<void> {
    const next = normalizeSettings({
      ...this.settings,
      ...change,
      augmentation: { ...this.settings.augmentation, ...change.augmentation },
    });
    this.settings = next;
    if (this.#projectId) this.settings = await studio.client.saveSettings(this.#projectId, next);
  }

  resetTo(which: 'kiln' | 'teachable-machine'): Promise<void> {
    return this.updateSettings(which === 'kiln' ? DEFAULT_SETTINGS : TEACHABLE_MACHINE_SETTINGS);
  }

  async chooseBackbone(backboneId: string): Promise<void> {
    if (!this.#projectId) return;
    await studio.client.setBackbone(this.#projectId, backboneId);
    await openProject.refresh();
  }

  /** Sets how the next trainings draw photos; the current model keeps the mode it was trained with. */
  async chooseCropMode(cropMode: CropMode): Promise<void> {
    if (!this.#projectId) return;
    await studio.client.setCropMode(this.#projectId, cropMode);
    await openProject.refresh();
  }

  start(): Promise<void> {
    return this.#run(null);
  }

  resume(): Promise<void> {
    return this.#run(this.interrupted?.id ?? null);
  }

  async discard(): Promise<void> {
    if (!this.interrupted) return;
    await studio.client.discardRun(this.interrupted.id);
    this.interrupted = null;
  }

  stop(): void {
    if (this.state.state === 'running') this.state.controller.abort();
  }

  async #run(resumeRunId: string | null): Promise<void> {
    const projectId = this.#projectId;
    if (!projectId || this.running) return;
    const controller = new AbortController();
    this.state = { state: 'running', progress: null, controller };
    this.epochs = resumeRunId ? (this.interrupted?.curves ?? []) : [];
    this.notice = null;
    this.noticeMessage = null;
    this.interrupted = null;
    try {
      const run = await studio.client.train(
        projectId,
        { settings: resumeRunId ? null : this.settings, resumeRunId },
        {
          signal: controller.signal,
          onProgress: (progress) => {
            // Progress travels on its own channel and can arrive after the result: never revive a finished run.
            if (this.state.state !== 'running' || this.state.controller !== controller) return;
            this.state = { state: 'running', progress, controller };
            if (progress.warning) {
              this.notice = progress.warning;
              this.noticeMessage = progress.warningMessage ?? null;
              // A lost GPU moved the engine to another backend: the header must say so.
              void studio.refreshStatus();
            }
            if (progress.phase === 'training' && progress.epoch) {
              this.epochs = [...this.epochs.filter((e) => e.epoch < progress.epoch!.epoch), progress.epoch];
            }
          },
        },
      );
      this.state = run ? { state: 'idle' } : { state: 'stopped-early' };
      // Only the project record and its active run changed: re-reading every photo would stall the page.
      if (run) await openProject.refresh({ classes: false });
    } catch (error) {
      this.state = { state: 'failed', message: errorText(error), error };
      await this.#findInterrupted(projectId);
    }
  }
}

export const training = new Training();
