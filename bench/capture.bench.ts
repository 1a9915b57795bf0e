/**
 * Capturing does not stutter the preview: the webcam preview's frames are counted with
 * requestVideoFrameCallback for 5 s with the camera just open, then for 5 s of "Hold to record" at 15 frames
 * per second (Chromium's fake camera), while every frame is stored by the studio worker. Reports the preview's
 * frame rate, its 95th-percentile and longest gap, long tasks on the page, and how many photos were stored.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startStaticServer } from '../e2e/static-server';
import { addClass, classRegion, createProject, photoCount } from '../e2e/helpers';
import { ROOT, saveResults, table, test } from './harness';

const SECONDS = 5;

/** Watches the preview video for `SECONDS` while `during` runs; frame gaps and long tasks seen meanwhile. */
async function watchPreview(page: Page, during: () => Promise<void>) {
  await page.evaluate(() => {
    const video = document.querySelector('video')!;
    const watch = { gaps: [] as number[], longTasks: 0, running: true };
    (window as unknown as { kilnWatch: typeof watch }).kilnWatch = watch;
    new PerformanceObserver((list) => (watch.longTasks += list.getEntries().length)).observe({ type: 'longtask' });
    let last = performance.now();
    const onFrame = (now: number) => {
      watch.gaps.push(now - last);
      last = now;
      if (watch.running) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  });
  await during();
  return page.evaluate(() => {
    const watch = (window as unknown as { kilnWatch: { gaps: number[]; longTasks: number; running: boolean } }).kilnWatch;
    watch.running = false;
    const gaps = watch.gaps.slice(1).sort((a, b) => a - b);
    const total = gaps.reduce((sum, gap) => sum + gap, 0);
    return {
      fps: Math.round((gaps.length / (total / 1000)) * 10) / 10,
      p95: Math.round(gaps[Math.floor(gaps.length * 0.95)]!),
      longest: Math.round(gaps[gaps.length - 1]!),
      longTasks: watch.longTasks,
    };
  });
}

test('webcam capture at 15 frames per second does not stutter the preview', async ({ browser }) => {
  const server = await startStaticServer(path.join(ROOT, process.env.KILN_OUT_DIR ?? 'dist'));
  const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block', permissions: ['camera'] });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByText(/^Backend: (WebGPU|WebGL|WASM|CPU)/).waitFor({ timeout: 120_000 });
  await createProject(page, 'Capture');
  await addClass(page, 'cup');
  const cup = classRegion(page, 'cup');
  await cup.getByRole('button', { name: 'Use webcam' }).click();
  await cup.getByRole('button', { name: 'Start burst' }).waitFor({ timeout: 60_000 });
  await cup.getByRole('combobox', { name: 'Frames per second' }).selectOption('15');

  const idle = await watchPreview(page, () => page.waitForTimeout(SECONDS * 1000));
  const hold = cup.getByRole('button', { name: 'Hold to record' });
  await hold.hover();
  const recording = await watchPreview(page, async () => {
    await page.mouse.down();
    await page.waitForTimeout(SECONDS * 1000);
    await page.mouse.up();
  });
  const released = Date.now();
  const captured = Number((await cup.getByRole('status').filter({ hasText: 'captured' }).textContent())!.match(/\d+/)![0]);
  while ((await photoCount(page, 'cup')) < captured) await page.waitForTimeout(100);
  const storedAfter = (Date.now() - released) / 1000;
  await context.close();
  await server.close();

  const rows = [
    {
      preview: 'camera open',
      fps: idle.fps,
      'p95 gap ms': idle.p95,
      'longest gap ms': idle.longest,
      'long tasks': idle.longTasks,
      photos: '' as string | number,
      'all stored s after release': '' as string | number,
    },
    {
      preview: `hold to record, 15 fps, ${SECONDS} s`,
      fps: recording.fps,
      'p95 gap ms': recording.p95,
      'longest gap ms': recording.longest,
      'long tasks': recording.longTasks,
      photos: captured,
      'all stored s after release': storedAfter,
    },
  ];
  console.log(table(rows));
  console.log(saveResults('capture', { rows }));
});
