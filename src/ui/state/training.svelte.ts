import { isTrainingHeld } from '../../api/locks';
import { DEFAULT_SETTINGS, normalizeSettings, TEACHABLE_MACHINE_SETTINGS, type TrainingSettings } from '../../api/settings';
import type { BackboneChoice, CropMode, EpochLog, RunRecord, TrainProgress } from '../../api/types';
import { listRuns } from '../../storage/runs';
import type { UserMessage } from '../../api/user-message';
import type { CustomBackboneRequest, ModelInspection } from '../../api/contract';
import { onChange } from './changes';
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

  constructor() {
    onChange((change) => {
      if (change.scope === 'engine') return this.refreshBackbones();
      if (change.scope === 'runs' && change.projectId && change.projectId === this.#projectId)
        return this.#findInterrupted(change.projectId);
    });
  }

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
    if (studio.status) this.backbones = await studio.api.listBackbones();
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
    if (this.#projectId) this.settings = await studio.api.saveSettings({ projectId: this.#projectId, settings: next });
  }

  resetTo(which: 'kiln' | 'teachable-machine'): Promise<void> {
    return this.updateSettings(which === 'kiln' ? DEFAULT_SETTINGS : TEACHABLE_MACHINE_SETTINGS);
  }

  async chooseBackbone(backboneId: string): Promise<void> {
    if (!this.#projectId) return;
    await studio.api.setBackbone({ projectId: this.#projectId, backboneId });
  }

  /** Sets how the next trainings draw photos; the current model keeps the mode it was trained with. */
  async chooseCropMode(cropMode: CropMode): Promise<void> {
    if (!this.#projectId) return;
    await studio.api.setCropMode({ projectId: this.#projectId, cropMode });
  }

  start(): Promise<void> {
    return this.#run(null);
  }

  resume(): Promise<void> {
    return this.#run(this.interrupted?.id ?? null);
  }

  async discard(): Promise<void> {
    if (!this.interrupted) return;
    await studio.api.discardRun({ runId: this.interrupted.id });
    this.interrupted = null;
  }

  /** The layers of a model the person picked, to choose where to cut it. */
  inspectModel(files: File[]): Promise<ModelInspection> {
    return studio.api.inspectModel({ files });
  }

  /** Adds the person's own model as a backbone and makes it the project's. */
  async addCustomBackbone(request: CustomBackboneRequest): Promise<void> {
    const spec = await studio.api.addCustomBackbone(request);
    await this.chooseBackbone(spec.id);
  }

  /** A stored photo as the model sees it in each crop mode (RGBA, size × size). */
  cropModePreview(sampleId: string, size: number): Promise<Uint8ClampedArray[]> {
    return studio.api.cropModePreview({ sampleId, size });
  }

  /** What augmentation does to a stored photo: the plain view, then each augmented one (RGBA). */
  augmentationPreview(sampleId: string, seed: number, size: number): Promise<Uint8ClampedArray[]> {
    return studio.api.augmentationPreview({ sampleId, augmentation: this.settings.augmentation, seed, size });
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
      const run = await studio.api.train(
        { projectId, settings: resumeRunId ? null : this.settings, resumeRunId },
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
    } catch (error) {
      this.state = { state: 'failed', message: errorText(error), error };
      await this.#findInterrupted(projectId);
    }
  }
}

export const training = new Training();
