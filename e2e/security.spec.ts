import { readFileSync } from 'node:fs';
import { addClass, classRegion, createProject, filesIn, openStudio } from './helpers';
import { expect, test } from './fixtures';

const ATTACK = '<img src=x onerror=alert(1)>';

test('class, project and file names are shown as text, never run as markup', async ({ page }) => {
  page.on('dialog', (dialog) => {
    throw new Error(`Injected script ran: ${dialog.message()}`);
  });
  await openStudio(page);
  await createProject(page, ATTACK);
  await addClass(page, ATTACK);
  await expect(page.getByRole('heading', { name: ATTACK, exact: true })).toBeVisible();

  const photo = readFileSync(filesIn('datasets', 'hymenoptera', 'train', 'ants')[0]!);
  const chooser = page.waitForEvent('filechooser');
  await classRegion(page, ATTACK).getByRole('button', { name: 'Add images' }).click();
  await (
    await chooser
  ).setFiles([
    { name: `${ATTACK}.jpg`, mimeType: 'image/jpeg', buffer: photo },
    { name: `${ATTACK}.txt`, mimeType: 'text/plain', buffer: Buffer.from('x') },
  ]);
  await expect(page.getByRole('alert').getByRole('listitem')).toContainText(`${ATTACK}.txt`);
  await expect(classRegion(page, ATTACK).getByRole('img', { name: `${ATTACK}.jpg` })).toBeVisible();
  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('link', { name: ATTACK })).toBeVisible();
  // Nothing created an element from the names: the only images are Kiln's own.
  expect(await page.locator('img[src="x"]').count()).toBe(0);
});

test.describe('Content-Security-Policy', () => {
  test.use({ expectCspViolation: /inline/i });

  test('is sent with the app and blocks inline scripts while the studio still runs', async ({ page }) => {
    const response = await page.goto('./');
    const policy = (await response!.allHeaders())['content-security-policy'] ?? '';
    const scriptSrc = /script-src ([^;]*)/.exec(policy)?.[1] ?? '';
    expect(scriptSrc).toContain("'wasm-unsafe-eval'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toMatch(/'unsafe-eval'/);
    await expect(page.getByText(/^Backend: WASM$/)).toBeVisible();

    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false;
    });
    expect(ran).toBe(false);
  });
});
