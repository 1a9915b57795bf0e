import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from '@playwright/test';
import { demoPageHtml, type DemoPageInput } from '../src/export/demo-page.ts';
import { expect, test } from './fixtures';
import { filesIn, sharedPath } from './helpers';

/**
 * The standalone demo export, tested as a person would use it: the generated HTML file opened from disk
 * (file://), with every request that is not file:, data: or blob: recorded and refused. It needs neither
 * the studio nor its server: the page is built here in Node from the Teachable Machine nail-biting model.
 */

const MODEL_DIR = sharedPath('models', 'teachable-machine', 'nail-biting');
const require = createRequire(import.meta.url);
const BUNDLES = [
  '@tensorflow/tfjs-core/dist/tf-core.min.js',
  '@tensorflow/tfjs-layers/dist/tf-layers.min.js',
  '@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.min.js',
  '@tensorflow/tfjs-backend-webgl/dist/tf-backend-webgl.min.js',
].map((name) => readFileSync(require.resolve(name), 'utf8'));

const metadata = JSON.parse(readFileSync(path.join(MODEL_DIR, 'metadata.json'), 'utf8')) as {
  labels: string[];
  imageSize: number;
};
const LABELS = metadata.labels;
const BEE = filesIn('datasets', 'hymenoptera', 'val', 'bees')[0]!;
const ANT = filesIn('datasets', 'hymenoptera', 'val', 'ants')[0]!;

function writeDemo(file: string, overrides: Partial<DemoPageInput> = {}): string {
  const html = demoPageHtml({
    title: 'Nail-biting detector',
    labels: LABELS,
    modelJson: JSON.parse(readFileSync(path.join(MODEL_DIR, 'model.json'), 'utf8')) as object,
    weights: new Uint8Array(readFileSync(path.join(MODEL_DIR, 'weights.bin'))),
    imageSize: metadata.imageSize,
    scripts: BUNDLES,
    // Midday UTC: the same day in every time zone the tests may run in.
    generatedAt: '2025-01-02T12:00:00.000Z',
    ...overrides,
  });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}

/** Records (and refuses) every request that could leave the device. */
async function watchNetwork(context: BrowserContext): Promise<string[]> {
  const offDevice: string[] = [];
  const local = /^(file|data|blob):/;
  context.on('request', (request) => {
    if (!local.test(request.url())) offDevice.push(request.url());
  });
  await context.route(
    (url) => !local.test(url.href),
    (route) => route.abort('blockedbyclient'),
  );
  return offDevice;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function openDemo(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('status')).toHaveText('Ready', { timeout: 60_000 });
}

/** Each class's probability, from the meters' exact aria-valuenow (percent). */
async function meterValues(page: Page): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  for (const meter of await page.getByRole('meter').all()) {
    values.set((await meter.getAttribute('aria-label')) ?? '', Number(await meter.getAttribute('aria-valuenow')) / 100);
  }
  return values;
}

/**
 * An independent reference in the same browser and tfjs: a second copy of the model loaded from the
 * page's embedded data, and the photo preprocessed with tf ops (fromPixels, / 127 - 1) instead of the
 * page's own loop.
 */
async function referencePrediction(page: Page, photo: string): Promise<number[]> {
  const base64 = readFileSync(photo).toString('base64');
  return page.evaluate(async (b64) => {
    type Tf = {
      loadLayersModel(h: unknown): Promise<{ predict(x: unknown): { data(): Promise<Float32Array> } }>;
      io: { fromMemory(a: object): unknown };
      tidy<T>(f: () => T): T;
      browser: { fromPixels(c: HTMLCanvasElement): unknown };
      cast(x: unknown, dtype: string): unknown;
      div(a: unknown, b: number): unknown;
      sub(a: unknown, b: number): unknown;
      expandDims(x: unknown, axis: number): unknown;
    };
    const tf = (window as unknown as { tf: Tf }).tf;
    const bytesOf = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const modelJson = JSON.parse(document.getElementById('kiln-model')!.textContent!) as {
      modelTopology: object;
      weightsManifest: { weights: object[] }[];
    };
    const size = (JSON.parse(document.getElementById('kiln-config')!.textContent!) as { imageSize: number }).imageSize;
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
        weightData: bytesOf(document.getElementById('kiln-weights')!.textContent!).buffer,
      }),
    );
    const bitmap = await createImageBitmap(new Blob([bytesOf(b64)], { type: 'image/jpeg' }), { imageOrientation: 'from-image' });
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    const side = Math.min(bitmap.width, bitmap.height);
    ctx.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, size, size);
    const out = tf.tidy(() => {
      const pixels = tf.cast(tf.browser.fromPixels(canvas), 'float32');
      return model.predict(tf.expandDims(tf.sub(tf.div(pixels, 127), 1), 0));
    });
    return Array.from(await out.data());
  }, base64);
}

test.describe('standalone demo page', () => {
  test('predicts a chosen or dropped photo from file://, with nothing fetched', async ({ page, context }, testInfo) => {
    const offDevice = await watchNetwork(context);
    const url = writeDemo(testInfo.outputPath('demo.html'));
    await openDemo(page, url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nail-biting detector');
    await expect(page.getByText('Runs entirely on this device; nothing is uploaded.')).toBeVisible();
    await expect(page.getByText(/Backend: (WebGL|CPU)$/)).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
    // The date in the page's language (the Arabic page is tested in demo-page-language.spec.ts).
    await expect(page.locator('footer time')).toHaveText('January 2, 2025');
    await expect(page.locator('footer time')).toHaveAttribute('datetime', '2025-01-02T12:00:00.000Z');
    await expect(page.getByRole('meter')).toHaveCount(LABELS.length);
    await expect(page.getByRole('button', { name: 'Use the webcam' })).toBeEnabled();

    await page.getByLabel('Choose a photo').setInputFiles(BEE);
    const status = page.getByRole('status');
    await expect(status).toHaveText(/^Top: /);
    await expect(page.getByRole('img', { name: `Your photo: ${path.basename(BEE)}` })).toBeVisible();

    const values = await meterValues(page);
    expect([...values.keys()]).toEqual(LABELS);
    const probabilities = [...values.values()];
    expect(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-3);
    const best = probabilities.indexOf(Math.max(...probabilities));
    expect(LABELS).toContain(LABELS[best]);
    await expect(status).toHaveText(`Top: ${LABELS[best]} (${Math.round(probabilities[best]! * 100)}%)`);
    // The visible percentages are rounded; the meters carry the exact values.
    await expect(page.getByRole('listitem').nth(best)).toContainText(`${Math.round(probabilities[best]! * 100)}%`);

    const reference = await referencePrediction(page, BEE);
    reference.forEach((p, i) =>
      expect(Math.abs(p - probabilities[i]!), `${LABELS[i]}: ${p} vs ${probabilities[i]}`).toBeLessThan(1e-3),
    );

    // Dropping a photo anywhere on the page predicts it too.
    const drop = await page.evaluateHandle(
      ({ b64, name }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: 'image/jpeg' }));
        return transfer;
      },
      { b64: readFileSync(ANT).toString('base64'), name: path.basename(ANT) },
    );
    await page.dispatchEvent('main', 'dragover', { dataTransfer: drop });
    await page.dispatchEvent('main', 'drop', { dataTransfer: drop });
    await expect(page.getByRole('img', { name: `Your photo: ${path.basename(ANT)}` })).toBeVisible();
    await expect(status).toHaveText(/^Top: /);
    const antReference = await referencePrediction(page, ANT);
    await expect
      .poll(async () => [...(await meterValues(page)).values()].map((p, i) => Math.abs(p - antReference[i]!) < 1e-3))
      .toEqual(LABELS.map(() => true));

    await expect(page.getByRole('alert')).toHaveText('');
    expect(offDevice).toEqual([]);
  });

  test('says plainly when a file is not a photo it can read', async ({ page, context }, testInfo) => {
    const offDevice = await watchNetwork(context);
    await openDemo(page, writeDemo(testInfo.outputPath('demo.html')));
    const input = page.getByLabel('Choose a photo');
    const alert = page.getByRole('alert');

    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
    await expect(alert).toHaveText('"notes.txt" is not a photo. Choose an image file (JPEG, PNG, WebP or GIF).');

    await input.setInputFiles({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('this is not really a JPEG') });
    await expect(alert).toContainText('"broken.jpg" could not be opened as a photo');
    await expect(alert).toContainText('Try a JPEG or PNG.');
    await expect(page.getByRole('status')).toHaveText('Ready');

    // A good photo afterwards clears the message.
    await input.setInputFiles(BEE);
    await expect(page.getByRole('status')).toHaveText(/^Top: /);
    await expect(alert).toHaveText('');
    expect(offDevice).toEqual([]);
  });

  /** Chromium counts file:// as a secure context, so getUserMedia is offered there (fake camera here). */
  test('predicts live from the webcam, at most about ten times a second', async ({ page, context }, testInfo) => {
    const offDevice = await watchNetwork(context);
    await openDemo(page, writeDemo(testInfo.outputPath('demo.html')));
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);

    await page.getByRole('button', { name: 'Use the webcam' }).click();
    const stop = page.getByRole('button', { name: 'Stop the webcam' });
    await expect(stop).toHaveAttribute('aria-pressed', 'true');
    const video = page.getByLabel('Webcam picture (mirrored)');
    await expect(video).toBeVisible();
    await expect(video).toHaveCSS('transform', 'matrix(-1, 0, 0, 1, 0, 0)');
    await expect(page.getByRole('status')).toHaveText(/^Top: /);

    // When each update came: at least 2 s of them, and at least three (a loaded machine predicts slower, never
    // more often), so the check is on the pace between updates, not on how many fit a fixed window.
    const times = await page.evaluate(
      () =>
        new Promise<number[]>((resolve) => {
          const seen: number[] = [];
          const observer = new MutationObserver((records) => {
            for (const record of records) if (record.attributeName === 'aria-valuenow') seen.push(performance.now());
            if (seen.length >= 3 && seen.at(-1)! - seen[0]! >= 2000) done();
          });
          const done = () => {
            observer.disconnect();
            resolve(seen);
          };
          observer.observe(document.querySelector('[role="meter"]')!, { attributes: true });
          setTimeout(done, 30_000);
        }),
    );
    expect(times.length, 'the webcam keeps being predicted').toBeGreaterThanOrEqual(3);
    // Predictions start at least 100 ms apart; how long each takes varies, so the pace is judged over the window.
    const perSecond = ((times.length - 1) * 1000) / (times.at(-1)! - times[0]!);
    expect(perSecond).toBeLessThanOrEqual(11);
    const probabilities = [...(await meterValues(page)).values()];
    expect(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-3);

    await stop.click();
    await expect(page.getByRole('button', { name: 'Use the webcam' })).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByLabel('Webcam picture (mirrored)')).toBeHidden();
    expect(offDevice).toEqual([]);
  });

  test('falls back to the CPU without WebGL, and explains a missing camera', async ({ page, context }, testInfo) => {
    const offDevice = await watchNetwork(context);
    await page.addInitScript(() => {
      for (const proto of [HTMLCanvasElement.prototype, OffscreenCanvas.prototype] as {
        getContext(...args: unknown[]): unknown;
      }[]) {
        const getContext = proto.getContext;
        proto.getContext = function (type: unknown, ...rest: unknown[]) {
          return /webgl/.test(String(type)) ? null : getContext.call(this, type, ...rest);
        };
      }
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
    });
    await openDemo(page, writeDemo(testInfo.outputPath('demo.html')));
    await expect(page.getByText(/Backend: CPU$/)).toBeVisible();
    await page.getByLabel('Choose a photo').setInputFiles(BEE);
    await expect(page.getByRole('status')).toHaveText(/^Top: /);
    const reference = await referencePrediction(page, BEE);
    const probabilities = [...(await meterValues(page)).values()];
    reference.forEach((p, i) => expect(Math.abs(p - probabilities[i]!)).toBeLessThan(1e-3));

    await page.getByRole('button', { name: 'Use the webcam' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'No camera was found. Connect a camera and press "Use the webcam" again, or choose a photo instead.',
    );
    await expect(page.getByRole('button', { name: 'Use the webcam' })).toBeEnabled();
    expect(offDevice).toEqual([]);
  });

  test('shows a hostile title and labels as plain text', async ({ page, context }, testInfo) => {
    const offDevice = await watchNetwork(context);
    const title = 'Bees </script><script>window.pwned = 1</script> & <!-- "quotes" \'too\'';
    const labels = ['normal </SCRIPT><!--<script>', 'nail <b>biting</b> & co'];
    await openDemo(page, writeDemo(testInfo.outputPath('demo.html'), { title, labels }));
    await expect(page).toHaveTitle(title);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    expect(await page.evaluate(() => 'pwned' in window)).toBe(false);
    for (const label of labels) await expect(page.getByRole('meter', { name: label, exact: true })).toHaveCount(1);
    await page.getByLabel('Choose a photo').setInputFiles(BEE);
    await expect(page.getByRole('status')).toHaveText(new RegExp(`^Top: (${labels.map(escapeRegExp).join('|')}) \\(\\d+%\\)$`));
    expect(offDevice).toEqual([]);
  });
});
