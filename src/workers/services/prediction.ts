/** Preview predictions: photos the person picks, and webcam frames. */
import type { FilePrediction, Prediction } from '../../api/types';
import type { Job } from '../jobs';
import { decodeImageFile, ImageRefusedError, modelPixels } from '../pixels';
import type { Predictor } from '../predictor';
import type { StudioDeps } from './deps';

/** One photo's result as soon as it is known: `index` is its place among the files asked about. */
export interface FileResult {
  index: number;
  result: FilePrediction;
}

export function predictionService(deps: StudioDeps) {
  return {
    predictFiles: async ({ projectId, files }: { projectId: string; files: File[] }, job: Job<FileResult>) =>
      predictFiles(await deps.predictor(), projectId, files, job),
    predictFrame: async ({ projectId, frame }: { projectId: string; frame: ImageBitmap }) =>
      predictFrame(await deps.predictor(), projectId, frame),
  };
}

const CHUNK = 8;

/** Predicts each picked photo; each file gets a prediction or the reason it could not be used. */
async function predictFiles(
  predictor: Predictor,
  projectId: string,
  files: File[],
  job: Job<FileResult>,
): Promise<FilePrediction[]> {
  const size = await predictor.inputSize(projectId);
  const cropMode = await predictor.cropMode(projectId);
  const results: FilePrediction[] = [];
  for (let start = 0; start < files.length; start += CHUNK) {
    const chunk = files.slice(start, start + CHUNK);
    const decoded = await Promise.all(
      chunk.map(async (file) => {
        try {
          const { bitmap } = await decodeImageFile(file);
          try {
            return { pixels: modelPixels(bitmap, size, null, cropMode), error: null };
          } finally {
            bitmap.close();
          }
        } catch (error) {
          return { pixels: null, error: error instanceof ImageRefusedError ? error.message : String(error) };
        }
      }),
    );
    const good = decoded.filter((d) => d.pixels).map((d) => d.pixels!);
    const predictions = good.length ? await predictor.predict(projectId, good) : [];
    let next = 0;
    decoded.forEach((d, i) => {
      const result: FilePrediction = { name: chunk[i]!.name, prediction: d.pixels ? predictions[next++]! : null, error: d.error };
      results.push(result);
      job.progress({ index: start + i, result });
    });
  }
  return results;
}

/** Predicts one webcam frame (transferred here; closed here). */
async function predictFrame(predictor: Predictor, projectId: string, frame: ImageBitmap): Promise<Prediction> {
  let pixels: Uint8ClampedArray;
  try {
    pixels = modelPixels(frame, await predictor.inputSize(projectId), null, await predictor.cropMode(projectId));
  } finally {
    frame.close();
  }
  const [prediction] = await predictor.predict(projectId, [pixels]);
  return prediction!;
}
