import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';

/**
 * A page on its own made-up origin that runs Teachable Machine's own library (@teachablemachine/image
 * 0.8.5 on its TensorFlow.js 1.3.1, installed for tests only) against model files, as its users would.
 * Everything is answered by the test, so nothing is fetched from the network.
 */
export const TM_ORIGIN = 'http://teachable-machine.test';

const nodeModules = path.resolve(import.meta.dirname, '../node_modules');
const LIBRARIES: Record<string, string> = {
  '/tf.min.js': path.join(nodeModules, '@tensorflow/tfjs/dist/tf.min.js'),
  '/teachablemachine-image.min.js': path.join(nodeModules, 'tm-image/dist/teachablemachine-image.min.js'),
};

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script src="/tf.min.js"></script><script src="/teachablemachine-image.min.js"></script></head>
<body><canvas id="c" width="224" height="224"></canvas></body></html>`;

/** Serves the libraries and `files` (path → bytes) on TM_ORIGIN, and opens a page there. */
export async function openTeachableMachinePage(context: BrowserContext, files: Map<string, Uint8Array>): Promise<Page> {
  await context.route(`${TM_ORIGIN}/**`, async (route) => {
    const pathname = decodeURIComponent(new URL(route.request().url()).pathname);
    if (pathname === '/') return route.fulfill({ body: PAGE, contentType: 'text/html' });
    const library = LIBRARIES[pathname];
    if (library) return route.fulfill({ body: readFileSync(library), contentType: 'text/javascript' });
    const bytes = files.get(pathname);
    if (bytes) return route.fulfill({ body: Buffer.from(bytes), contentType: 'application/octet-stream' });
    return route.fulfill({ status: 404, body: 'not found' });
  });
  const page = await context.newPage();
  await page.goto(`${TM_ORIGIN}/`);
  // CPU: exact float32, so numbers compare with Kiln's WASM backend to well under 1e-4.
  await page.evaluate(async () => {
    const tf = (window as unknown as { tf: { setBackend(name: string): Promise<boolean> } }).tf;
    await tf.setBackend('cpu');
  });
  return page;
}

export interface LibraryPrediction {
  file: string;
  /** tmImage.load(...).predict(canvas): probability per label, in label order. */
  teachableMachine: number[];
  /** tf.loadLayersModel on the same pixels, preprocessed as Teachable Machine does. */
  layersModel: number[];
  labels: string[];
}

/**
 * Loads /model.json + /metadata.json with tmImage.load and with tf.loadLayersModel, and predicts each
 * photo (served at /photos/<name>). Pixels are drawn as Kiln draws them: EXIF-rotated, the centred
 * square scaled to 224 with high-quality smoothing on white.
 */
export async function predictWithTeachableMachine(
  page: Page,
  photos: string[],
  options: { teachableMachine: boolean } = { teachableMachine: true },
): Promise<LibraryPrediction[]> {
  return page.evaluate(
    async ({ names, withTm }) => {
      interface Tensor {
        data(): Promise<Float32Array>;
        dispose(): void;
      }
      const w = window as unknown as {
        tf: {
          loadLayersModel(url: string): Promise<{ predict(x: unknown): Tensor }>;
          tidy<T>(f: () => T): T;
          browser: {
            fromPixels(c: HTMLCanvasElement): { toFloat(): { div(n: number): { sub(n: number): { expandDims(): unknown } } } };
          };
        };
        tmImage: {
          load(
            model: string,
            metadata: string,
          ): Promise<{
            predict(c: HTMLCanvasElement): Promise<{ className: string; probability: number }[]>;
            getClassLabels(): string[];
          }>;
        };
      };
      // A "Predict a number" export is not a classifier: only tf.loadLayersModel can load it.
      const tm = withTm ? await w.tmImage.load('/model.json', '/metadata.json') : null;
      const layers = await w.tf.loadLayersModel('/model.json');
      const labels = tm ? tm.getClassLabels() : [];
      const canvas = document.getElementById('c') as HTMLCanvasElement;
      const out = [];
      for (const name of names) {
        const blob = await (await fetch(`/photos/${encodeURIComponent(name)}`)).blob();
        const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
        const side = Math.min(bitmap.width, bitmap.height);
        const off = new OffscreenCanvas(224, 224).getContext('2d', { willReadFrequently: true })!;
        off.imageSmoothingEnabled = true;
        off.imageSmoothingQuality = 'high';
        off.fillStyle = '#fff';
        off.fillRect(0, 0, 224, 224);
        off.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, 224, 224);
        canvas.getContext('2d')!.putImageData(off.getImageData(0, 0, 224, 224), 0, 0);
        const byTm = tm ? await tm.predict(canvas) : [];
        const output = w.tf.tidy(() => layers.predict(w.tf.browser.fromPixels(canvas).toFloat().div(127).sub(1).expandDims()));
        const values = Array.from(await output.data());
        output.dispose();
        out.push({
          file: name,
          teachableMachine: labels.map((label) => byTm.find((p) => p.className === label)!.probability),
          layersModel: values,
          labels,
        });
      }
      return out;
    },
    { names: photos, withTm: options.teachableMachine },
  );
}
