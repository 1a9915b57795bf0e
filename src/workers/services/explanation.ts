/**
 * What the model looks at (src/ml/grad-cam.ts): heatmaps for one photo (a stored one, a picked file or a webcam
 * frame), and the shortcut check, which reads where the evidence for each class lay on its held-back photos.
 */
import type { Count } from '../../api/job';
import type { ClassShortcut, ExplainSource, Explanation, ShortcutReport } from '../../api/types';
import { UserError } from '../../api/user-message';
import { edgeArea, edgeShare } from '../../ml/evidence';
import type { KilnDB } from '../../storage/db';
import { getProject } from '../../storage/projects';
import { getRun } from '../../storage/runs';
import { getSample, getSamples } from '../../storage/samples';
import { viewPixels } from '../embedder';
import type { Job } from '../jobs';
import { decodeImageFile, modelPixels, squareJpeg } from '../pixels';
import { NoModelError } from '../predictor';
import type { StudioDeps } from './deps';

/**
 * A class relies on the background when, on average, 40 % or more of its evidence lies at the photos' edges (the
 * outer cell of the 7 × 7 map on each side, 49 % of the picture). Measured through the UI (docs/EXPLAIN.md): ants
 * and bees photographed as they are put 29–30 % of their evidence there; a class told apart only by a frame painted
 * on its photos, 45 % (a frame 15 % of the side wide) to 56 % (10 %). Grad-CAM's map is coarse: evidence at the
 * border also spreads into the next ring, so the line sits between the two.
 */
export const BACKGROUND_EDGE_SHARE = 0.4;
const EXAMPLES = 6;
const BATCH = 8;

export function explanationService(deps: StudioDeps) {
  // One report per run: the run's model and held-back photos do not change (a new training is a new run).
  const reports = new Map<string, ShortcutReport>();
  return {
    /** Every class's heatmap over one photo as the active model sees it, with the model's answer. */
    async explain({ projectId, source }: { projectId: string; source: ExplainSource }): Promise<Explanation> {
      const predictor = await deps.predictor();
      const size = await predictor.inputSize(projectId);
      const cropMode = await predictor.cropMode(projectId);
      const pixels = await sourcePixels(await deps.db(), source, size, cropMode);
      const [first] = await predictor.explain(projectId, [pixels]);
      const { evidence, prediction } = first!;
      return {
        image: await squareJpeg(pixels, size),
        rows: evidence.rows,
        cols: evidence.cols,
        heat: evidence.heat.map((h) => Array.from(h)),
        prediction,
      };
    },

    /** Where the evidence for each class lies on its held-back photos, and which classes rely on the background. */
    async shortcutCheck({ projectId }: { projectId: string }, job: Job<Count>): Promise<ShortcutReport> {
      const database = await deps.db();
      const project = await getProject(database, projectId);
      const run = project?.activeRunId ? await getRun(database, project.activeRunId) : undefined;
      if (!run) throw new NoModelError('preview.noModel', 'Train the model first: there is nothing to preview yet.');
      const known = reports.get(run.id);
      if (known) return known;
      const predictor = await deps.predictor();
      const size = await predictor.inputSize(projectId);
      const cropMode = await predictor.cropMode(projectId);
      // The held-back photos; a run too small to hold any back is read on its training photos.
      const ids = run.split.validation.length > 0 ? run.split.validation : run.split.train;
      const classIndex = new Map(run.classes.map((c, i) => [c.id, i]));
      const samples = (await getSamples(database, ids)).filter((s) => s && classIndex.has(s.classId));
      const shares = new Map<string, { sampleId: string; edgeShare: number }[]>();
      let rows = 7;
      let cols = 7;
      for (let start = 0; start < samples.length; start += BATCH) {
        if (job.isCancelled()) throw new UserError('explain.cancelled', 'The shortcut check was stopped.');
        const batch = samples.slice(start, start + BATCH).map((s) => s!);
        const pixels = await Promise.all(batch.map((s) => viewPixels(s.image, size, null, cropMode)));
        const results = await predictor.explain(projectId, pixels);
        results.forEach(({ evidence }, i) => {
          const sample = batch[i]!;
          rows = evidence.rows;
          cols = evidence.cols;
          const heat = evidence.heat[classIndex.get(sample.classId)!]!;
          const list = shares.get(sample.classId) ?? [];
          list.push({ sampleId: sample.id, edgeShare: edgeShare({ rows, cols, heat }) });
          shares.set(sample.classId, list);
        });
        job.progress({ done: Math.min(samples.length, start + BATCH), total: samples.length });
      }
      const classes: ClassShortcut[] = run.classes.map((c) => {
        const list = (shares.get(c.id) ?? []).sort((a, b) => b.edgeShare - a.edgeShare);
        const mean = list.length ? list.reduce((sum, p) => sum + p.edgeShare, 0) / list.length : 0;
        return {
          classId: c.id,
          name: c.name,
          photos: list.length,
          edgeShare: mean,
          reliesOnBackground: list.length > 0 && mean >= BACKGROUND_EDGE_SHARE,
          examples: list.slice(0, EXAMPLES),
        };
      });
      const report = { runId: run.id, edgeArea: edgeArea(rows, cols), threshold: BACKGROUND_EDGE_SHARE, classes };
      reports.set(run.id, report);
      return report;
    },
  };
}

async function sourcePixels(
  db: KilnDB,
  source: ExplainSource,
  size: number,
  cropMode: Parameters<typeof modelPixels>[3],
): Promise<Uint8ClampedArray> {
  if ('sampleId' in source) {
    const sample = await getSample(db, source.sampleId);
    if (!sample) throw new UserError('explain.photoGone', 'This photo was deleted.');
    return viewPixels(sample.image, size, null, cropMode);
  }
  const bitmap = 'frame' in source ? source.frame : (await decodeImageFile(source.file)).bitmap;
  try {
    return modelPixels(bitmap, size, null, cropMode);
  } finally {
    bitmap.close();
  }
}
