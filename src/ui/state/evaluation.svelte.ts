import type { ProjectionMethod } from '../../api/domain';
import type { MapPoint, RunRecord } from '../../api/types';
import { listRuns } from '../../storage/runs';
import { listSamplesOfProject } from '../../storage/samples';
import { errorText } from '../i18n/messages';
import { onChange } from './changes';
import { router } from './router.svelte';
import { openProject } from './project.svelte';
import { studio } from './studio.svelte';

export interface SampleInfo {
  name: string;
  classId: string;
  testOnly: boolean;
}

/** The Evaluate screen's data: every run of the open project, its photos, and the embedding map. */
class Evaluation {
  projectId = $state<string | null>(null);
  runs = $state.raw<RunRecord[]>([]);
  samples = $state.raw<Map<string, SampleInfo>>(new Map());
  selectedRunId = $state<string | null>(null);
  compareIds = $state.raw<string[]>([]);
  map = $state.raw<MapPoint[] | null>(null);
  mapProgress = $state<{ done: number; total: number } | null>(null);
  error = $state<string | null>(null);

  constructor() {
    onChange((change) => {
      // Re-read while Evaluate shows this project (opening the screen reads anyway), after the open
      // project has (it listens first): the chosen run follows its active one.
      const shown = router.route.screen === 'evaluate' && change.projectId === this.projectId;
      if (shown && change.scope !== 'projects' && change.scope !== 'engine') return this.load(this.projectId!);
    });
  }

  get selected(): RunRecord | null {
    return this.runs.find((r) => r.id === this.selectedRunId) ?? null;
  }

  async load(projectId: string): Promise<void> {
    if (this.projectId !== projectId) {
      this.selectedRunId = null;
      this.compareIds = [];
      this.map = null;
    }
    this.projectId = projectId;
    const db = await studio.db();
    const [runs, samples] = await Promise.all([listRuns(db, projectId), listSamplesOfProject(db, projectId)]);
    // Thumbnails are read on demand where photos are shown (<SampleThumb>), not for every photo here.
    this.samples = new Map(samples.map((s) => [s.id, { name: s.name, classId: s.classId, testOnly: s.testOnly === true }]));
    this.runs = runs;
    if (!this.runs.some((r) => r.id === this.selectedRunId)) {
      this.selectedRunId = openProject.project?.activeRunId ?? runs.find((r) => r.status !== 'running')?.id ?? null;
    }
    this.compareIds = this.compareIds.filter((id) => runs.some((r) => r.id === id));
  }

  async #act(task: (projectId: string) => Promise<unknown>): Promise<void> {
    this.error = null;
    try {
      if (this.projectId) await task(this.projectId);
    } catch (e) {
      this.error = errorText(e);
    }
  }

  activate(runId: string): Promise<void> {
    return this.#act((projectId) => studio.api.setActiveRun({ projectId, runId }));
  }

  deleteRun(runId: string): Promise<void> {
    return this.#act((projectId) => studio.api.deleteRun({ projectId, runId }));
  }

  movePhoto(sampleId: string, classId: string): Promise<void> {
    return this.#act((projectId) => studio.api.moveSamples({ projectId, ids: [sampleId], classId }));
  }

  deletePhoto(sampleId: string): Promise<void> {
    return this.#act((projectId) => studio.api.deleteSamples({ projectId, ids: [sampleId] }));
  }

  async computeMap(method: ProjectionMethod): Promise<void> {
    this.error = null;
    this.mapProgress = { done: 0, total: this.samples.size };
    try {
      this.map = await studio.api.embeddingMap(
        { projectId: this.projectId!, method },
        { onProgress: (progress) => this.mapProgress && (this.mapProgress = progress) },
      );
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.mapProgress = null;
    }
  }
}

export const evaluation = new Evaluation();
