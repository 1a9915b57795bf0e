/** The Evaluate step's worker side: which run is active, deleting runs, and the embedding map. */
import { project as projectPoints, type ProjectionMethod } from '../../ml/projection';
import { runCropMode } from '../../api/crop-mode';
import type { Count } from '../../api/job';
import type { MapPoint, ProjectRecord } from '../../api/types';
import { UserError } from '../../api/user-message';
import { getCheckpoint } from '../../storage/checkpoints';
import { getProject, updateProject } from '../../storage/projects';
import { deleteRun as removeRun, getRun } from '../../storage/runs';
import { listSamplesOfProject } from '../../storage/samples';
import { plainEmbeddingMatrix } from '../embedder';
import type { Job } from '../jobs';
import type { StudioDeps } from './deps';

export function evaluationService(deps: StudioDeps) {
  return {
    /** Makes a finished run's model the one Preview and exports use. */
    async setActiveRun({ projectId, runId }: { projectId: string; runId: string }, job: Job): Promise<ProjectRecord> {
      const database = await deps.db();
      const [run, checkpoint] = await Promise.all([getRun(database, runId), getCheckpoint(database, runId)]);
      if (!run || run.projectId !== projectId || run.status === 'running' || !checkpoint) {
        throw new UserError('evaluate.noModel', 'That training has no finished model to use.');
      }
      const project = await updateProject(database, projectId, { activeRunId: runId });
      (await deps.predictor()).forget(projectId);
      job.changed('project', projectId);
      return project;
    },

    /** Deletes a run and its model; deleting the active one leaves the project without a model until another is chosen. */
    async deleteRun({ projectId, runId }: { projectId: string; runId: string }, job: Job): Promise<void> {
      const database = await deps.db();
      const run = await getRun(database, runId);
      if (!run || run.projectId !== projectId) return;
      if (run.status === 'running')
        throw new UserError(
          'evaluate.runStillRunning',
          'This training is still running or can be resumed: stop or discard it first.',
        );
      const project = await getProject(database, projectId);
      await removeRun(database, runId);
      if (project?.activeRunId === runId) (await deps.predictor()).forget(projectId);
      job.changed('runs', projectId);
      job.changed('project', projectId);
    },

    /**
     * Every photo of the project as a point in 2-D, from its cached embedding (computed when missing) for
     * the project's backbone: PCA, or UMAP from umap-js. Seeded, so the same photos give the same map.
     */
    async embeddingMap(
      { projectId, method }: { projectId: string; method: ProjectionMethod },
      job: Job<Count>,
    ): Promise<MapPoint[]> {
      const database = await deps.db();
      const engine = await deps.engine();
      const project = await getProject(database, projectId);
      if (!project) throw new UserError('project.gone', 'This project no longer exists.');
      const samples = await listSamplesOfProject(database, projectId);
      if (samples.length < 2) throw new UserError('evaluate.mapNeedsPhotos', 'Add photos first: the map needs at least two.');
      const backbone = await engine.backbone(await engine.specFor(project.backboneId));
      // Photos as the active model sees them: the crop mode it was trained with (the project's when there is none).
      const run = project.activeRunId ? await getRun(database, project.activeRunId) : undefined;
      const cropMode = run ? runCropMode(run) : project.cropMode;
      const flat = await plainEmbeddingMatrix(database, backbone, samples, cropMode, {
        onProgress: (done, total) => job.progress({ done, total }),
        isCancelled: () => job.isCancelled(),
      });
      const xy = projectPoints(flat, samples.length, backbone.spec.featureSize, method, 42);
      return samples.map((s, i) => ({
        sampleId: s.id,
        name: s.name,
        classId: s.classId,
        x: xy[2 * i]!,
        y: xy[2 * i + 1]!,
        testOnly: s.testOnly === true,
      }));
    },
  };
}
