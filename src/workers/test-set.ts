/** Scores a finished run's model on the project's "test only" photos, which training never saw. */
import type { RunRecord } from '../api/types';
import type { KilnDB } from '../storage/db';
import { putRunProgress } from '../storage/runs';
import { listSamplesOfProject } from '../storage/samples';
import { embedBatch, viewPixels } from './embedder';
import type { Predictor } from './predictor';

export async function scoreTestSet(db: KilnDB, predictor: Predictor, run: RunRecord): Promise<RunRecord> {
  const classIndex = new Map(run.classes.map((c, i) => [c.id, i]));
  const valued = (value: number | undefined) => typeof value === 'number' && Number.isFinite(value);
  // A "Predict a number" run scores the test photos that have a value (in any class record of its project).
  const samples = (await listSamplesOfProject(db, run.projectId)).filter((s) =>
    run.quantity ? s.testOnly && valued(s.value) : s.testOnly && classIndex.has(s.classId),
  );
  if (samples.length === 0) {
    if (!run.testPredictions) return run;
    const cleared = { ...run, testPredictions: null };
    await putRunProgress(db, cleared);
    return cleared;
  }
  const size = await predictor.inputSize(run.projectId);
  const cropMode = await predictor.cropMode(run.projectId);
  const probabilities: number[] = [];
  const batchSize = embedBatch();
  for (let start = 0; start < samples.length; start += batchSize) {
    const batch = samples.slice(start, start + batchSize);
    const pixels = await Promise.all(batch.map((s) => viewPixels(s.image, size, null, cropMode)));
    for (const prediction of await predictor.predict(run.projectId, pixels)) {
      if (run.quantity) probabilities.push(prediction.value ?? Number.NaN);
      else probabilities.push(...prediction.probabilities.map((p) => p.probability));
    }
  }
  const scored: RunRecord = {
    ...run,
    testPredictions: {
      sampleIds: samples.map((s) => s.id),
      truth: samples.map((s) => (run.quantity ? s.value! : classIndex.get(s.classId)!)),
      probabilities,
    },
  };
  await putRunProgress(db, scored);
  return scored;
}
