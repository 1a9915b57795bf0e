import { execFileSync } from 'node:child_process';
import {
  addClass,
  addImages,
  createProject,
  download,
  filesIn,
  openForDevelopers,
  openStudio,
  predictInPreview,
  trainAndWait,
} from './helpers';
import { expect, test } from './fixtures';
import { startStaticServer, type SwappableServer } from './static-server';

const offlineReady = (page: import('@playwright/test').Page) =>
  page.getByRole('status').filter({ hasText: 'Ready to work offline' });

test('after one visit online, everything works with the network cut', async ({ page, context }) => {
  test.setTimeout(240_000);
  await openStudio(page);
  await expect(offlineReady(page)).toBeVisible({ timeout: 60_000 });
  await offlineReady(page).getByRole('button', { name: 'OK' }).click();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText(/^Backend: WASM$/)).toBeVisible({ timeout: 60_000 });
  // Served from the service worker's cache, the page keeps its isolation headers: WASM threads still run.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.getByText(/^Backend:/).click();
  await expect(page.getByRole('note', { name: 'Why this backend' })).toContainText(/SIMD, \d+ threads/);
  await page.getByText(/^Backend:/).click();
  // "Ready to work offline" is said once, not on every start.
  await expect(offlineReady(page)).toHaveCount(0);

  await createProject(page, 'Offline lesson');
  await addClass(page, 'rock');
  await addClass(page, 'scissors');
  await addImages(page, 'rock', filesIn('datasets', 'rps', 'rock').slice(0, 12));
  await addImages(page, 'scissors', filesIn('datasets', 'rps', 'scissors').slice(0, 12));
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await trainAndWait(page);
  const predicted = await predictInPreview(page, [
    filesIn('datasets', 'rps', 'rock')[50]!,
    filesIn('datasets', 'rps', 'scissors')[50]!,
  ]);
  expect([...predicted.values()]).toEqual(['rock', 'scissors']);

  // Exports need nothing from the network either (the demo page's TensorFlow.js comes from the cache).
  await page.getByRole('link', { name: '4. Export' }).click();
  await openForDevelopers(page);
  expect((await download(page, page.getByRole('button', { name: 'Download model (.zip)' }))).bytes.byteLength).toBeGreaterThan(
    1e6,
  );
  expect((await download(page, page.getByRole('button', { name: 'Download demo page (.html)' }))).name).toBe(
    'Offline-lesson-demo.html',
  );
  expect((await download(page, page.getByRole('button', { name: 'Download project file (.zip)' }))).name).toBe(
    'Offline-lesson.kiln.zip',
  );
});

test.describe('updates', () => {
  let server: SwappableServer;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    // A second build of the same code with another label: a new deployment.
    execFileSync('npx', ['vite', 'build', '--outDir', 'dist-next', '--emptyOutDir', '--logLevel', 'error'], {
      env: { ...process.env, KILN_BUILD_TAG: 'next' },
      stdio: 'inherit',
    });
    server = await startStaticServer('dist');
  });

  test.afterAll(async () => {
    await server.close();
  });

  test('a new version is offered with "Update available — reload", never applied during training', async ({ page }) => {
    test.setTimeout(240_000);
    const version = async () => {
      await page.getByRole('button', { name: 'Privacy' }).click();
      const text = await page
        .getByRole('dialog')
        .getByText(/^Kiln version /)
        .innerText();
      await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
      return text;
    };
    await page.goto(server.url);
    await expect(offlineReady(page)).toBeVisible({ timeout: 60_000 });
    // A returning visitor: this page load is controlled by the installed service worker.
    await page.reload();
    await expect(page.getByText(/^Backend: WASM$/)).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await version()).toBe('Kiln version 0.1.0');

    await createProject(page, 'Update during training');
    await addClass(page, 'rock');
    await addClass(page, 'paper');
    await addImages(page, 'rock', filesIn('datasets', 'rps', 'rock').slice(0, 60));
    await addImages(page, 'paper', filesIn('datasets', 'rps', 'paper').slice(0, 60));
    await page.getByRole('link', { name: '2. Train and preview' }).click();

    server.serve('dist-next');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const prompt = page.getByRole('alert').filter({ hasText: 'Update available — reload' });
    await expect(prompt).toBeVisible({ timeout: 60_000 });
    await expect(prompt.getByRole('button', { name: 'Reload' })).toBeEnabled();

    // The old version keeps running until the person chooses, and the choice waits while training runs.
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Stop', exact: true })).toBeEnabled();
    await expect(prompt.getByRole('button', { name: 'Reload' })).toBeDisabled();
    await expect(prompt).toContainText('It will wait until training finishes.');
    await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 120_000 });
    expect(await version()).toBe('Kiln version 0.1.0');

    // The page reloads once the new worker controls it, a moment after the click: wait for that load, so the
    // version is read on the new page and not on the old one while it goes away.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect(page.getByText(/^Backend: WASM$/)).toBeVisible({ timeout: 60_000 });
    expect(await version()).toBe('Kiln version 0.1.0+next');
    // The trained model came through the update untouched.
    await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
  });
});

test('Kiln is installable, and asks to keep its data once installed', async ({ page, context }) => {
  await page.addInitScript(() => {
    const calls: string[] = [];
    (window as unknown as { __persistCalls: string[] }).__persistCalls = calls;
    const original = navigator.storage.persist.bind(navigator.storage);
    navigator.storage.persist = () => {
      calls.push('persist');
      return original();
    };
  });
  await openStudio(page);
  await expect(offlineReady(page)).toBeVisible({ timeout: 60_000 });
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: { errorId: string }[];
  };
  // Playwright's contexts are incognito ones, where Chrome never installs; every other criterion must pass.
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
  const manifest = (await (await page.request.get('manifest.webmanifest')).json()) as {
    display: string;
    theme_color: string;
    icons: { purpose?: string }[];
  };
  expect(manifest.display).toBe('standalone');
  expect(manifest.theme_color).toMatch(/^#/);
  expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);

  expect(await page.evaluate(() => (window as unknown as { __persistCalls: string[] }).__persistCalls)).toEqual([]);
  await page.evaluate(() => window.dispatchEvent(new Event('appinstalled')));
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __persistCalls: string[] }).__persistCalls))
    .toEqual(['persist']);
});
