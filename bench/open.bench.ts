/**
 * Time to open a project as it grows, on its own: scale.bench.ts measures it too, but needs every photo imported,
 * embedded and trained on first (an hour for 5,000 on a slow machine). Here one real photo is imported through
 * the studio, and its stored record is copied into IndexedDB under new ids (each with its own addedAt), so the
 * Collect screen opens a project of exactly the same shape. Sizes: KILN_OPEN_SIZES (default 500,5000,10000).
 */
import path from 'node:path';
import { startStaticServer } from '../e2e/static-server';
import { addClass, addImages, createProject, filesIn } from '../e2e/helpers';
import { ROOT, saveResults, table, test } from './harness';

const SIZES = (process.env.KILN_OPEN_SIZES ?? '500,5000,10000').split(',').map(Number);
const PHOTO = filesIn('datasets', 'rps', 'rock')[0]!;
const OPENS = 3;

test('opening a project and scrolling its gallery: 500 to 10,000 photos', async ({ browser }) => {
  const server = await startStaticServer(path.join(ROOT, process.env.KILN_OUT_DIR ?? 'dist'));
  const rows: Record<string, string | number>[] = [];
  for (const size of SIZES) {
    const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByText(/^Backend: (WebGPU|WebGL|WASM|CPU)/).waitFor({ timeout: 120_000 });
    await createProject(page, `Open ${size}`);
    await addClass(page, 'rock');
    await addClass(page, 'paper');
    await addImages(page, 'rock', [PHOTO]);
    // Copies of the one stored photo, half in each class, written in batches as the importer does.
    await page.evaluate(async (size) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('kiln');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const read = <T>(request: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      const [template] = (await read(db.transaction('samples').objectStore('samples').getAll())) as Record<string, unknown>[];
      const classes = (await read(db.transaction('classes').objectStore('classes').getAll())) as { id: string }[]; // rock holds the template
      const start = Date.now();
      for (let batch = 0; batch < size; batch += 500) {
        const tx = db.transaction('samples', 'readwrite');
        for (let i = batch; i < Math.min(size, batch + 500); i++) {
          tx.objectStore('samples').put({
            ...template,
            id: crypto.randomUUID(),
            hash: `copy-${i}`,
            name: `copy-${i}.png`,
            classId: i % 2 ? template!.classId : classes.find((c) => c.id !== template!.classId)!.id,
            addedAt: start + i,
          });
        }
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
      }
      db.close();
    }, size - 1);

    const seconds: number[] = [];
    for (let open = 0; open < OPENS; open++) {
      await page.goto(server.url);
      await page.getByRole('link', { name: `Open ${size}` }).waitFor({ timeout: 120_000 });
      const opening = Date.now();
      await page.getByRole('link', { name: `Open ${size}` }).click();
      await page.getByRole('grid', { name: 'Photos of paper' }).getByRole('img').first().waitFor({ timeout: 120_000 });
      await page
        .getByRole('region', { name: 'paper', exact: true })
        .getByText(`${Math.ceil((size - 1) / 2)} photos`, { exact: true })
        .waitFor({ timeout: 120_000 });
      seconds.push((Date.now() - opening) / 1000);
    }
    const scrolling = await scrollThrough(page, 'paper');
    await context.close();
    seconds.sort((a, b) => a - b);
    rows.push({
      photos: size,
      'open s (median of 3)': seconds[1]!,
      'fastest s': seconds[0]!,
      'slowest s': seconds[2]!,
      'photos in the page (most)': scrolling.mostCells,
      'scroll frame p95 ms': scrolling.p95FrameMs,
      'long tasks while scrolling': scrolling.longTasks,
    });
    console.log(table(rows));
  }
  await server.close();
  console.log(saveResults('open', { rows }));
});

/**
 * Scrolls a class's grid from top to bottom in 40 steps, as a person flicking through it would, and reports
 * how many photo cells were ever in the page (virtualised: a few rows, not thousands), the 95th-percentile
 * frame interval, and the long tasks (over 50 ms) seen meanwhile.
 */
async function scrollThrough(page: import('@playwright/test').Page, className: string) {
  return page.getByRole('grid', { name: `Photos of ${className}` }).evaluate(async (grid) => {
    const scroller = [grid, ...grid.querySelectorAll<HTMLElement>('*')].find((el) =>
      ['auto', 'scroll'].includes(getComputedStyle(el).overflowY),
    )!;
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
    observer.observe({ type: 'longtask' });
    const frames: number[] = [];
    let last = performance.now();
    let mostCells = 0;
    let running = true;
    const tick = (now: number) => {
      frames.push(now - last);
      last = now;
      mostCells = Math.max(mostCells, grid.querySelectorAll('[role="gridcell"]').length);
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const steps = 40;
    for (let step = 1; step <= steps; step++) {
      scroller.scrollTop = ((scroller.scrollHeight - scroller.clientHeight) * step) / steps;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    running = false;
    observer.disconnect();
    frames.sort((a, b) => a - b);
    return {
      mostCells,
      p95FrameMs: Math.round(frames[Math.floor(frames.length * 0.95)]! * 10) / 10,
      longTasks,
    };
  });
}
