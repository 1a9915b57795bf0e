/** Preview predictions: photos the person picks, and webcam frames. */
import type { FilePrediction, Prediction } from '../api/types';
import { readyPredictor } from './context';
import { decodeImageFile, ImageRefusedError, modelPixels } from './pixels';

const CHUNK = 8;

/** Predicts each picked photo; each file gets a prediction or the reason it could not be used. */
export async function predictFiles(
  projectId: string,
  files: File[],
  onResult?: (index: number, result: FilePrediction) => void,
): Promise<FilePrediction[]> {
  const predictor = await readyPredictor();
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
      onResult?.(start + i, result);
    });
  }
  return results;
}

/** Predicts one webcam frame (transferred here; closed here). */
export async function predictFrame(projectId: string, frame: ImageBitmap): Promise<Prediction> {
  const predictor = await readyPredictor();
  let pixels: Uint8ClampedArray;
  try {
    pixels = modelPixels(frame, await predictor.inputSize(projectId), null, await predictor.cropMode(projectId));
  } finally {
    frame.close();
  }
  const [prediction] = await predictor.predict(projectId, [pixels]);
  return prediction!;
}
