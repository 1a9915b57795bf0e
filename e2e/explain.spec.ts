import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { axeProblems } from './a11y';
import { expect, test } from './fixtures';
import { addClass, classRegion, createProject, filesIn, openStudio, trainAndWait } from './helpers';

/**
 * Photos made square in the page (so the model sees all of each), with a thick coloured frame painted on when
 * `frame` is given: a shortcut planted on purpose, as a class photographed against one backdrop would be.
 */
async function squarePhotos(page: Page, files: string[], frame: string | null) {
  const encoded = files.map((f) => readFileSync(f).toString('base64'));
  const out = await page.evaluate(
    async ({ encoded, frame }) => {
      const results: string[] = [];
      for (const base64 of encoded) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes]));
        const side = Math.min(bitmap.width, bitmap.height);
        const canvas = new OffscreenCanvas(320, 320);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, 320, 320);
        if (frame) {
          ctx.strokeStyle = frame;
          ctx.lineWidth = 64; // 32 of 320 px inside the edge (10 % of the side), within the outer cell of the 7 × 7 map
          ctx.strokeRect(0, 0, 320, 320);
        }
        const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
        const data = new Uint8Array(await blob.arrayBuffer());
        let text = '';
        for (const b of data) text += String.fromCharCode(b);
        results.push(btoa(text));
      }
      return results;
    },
    { encoded, frame },
  );
  return out.map((base64, i) => ({
    name: path.basename(files[i]!),
    mimeType: 'image/jpeg',
    buffer: Buffer.from(base64, 'base64'),
  }));
}

async function addPhotos(page: Page, className: string, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const chooser = page.waitForEvent('filechooser');
  await classRegion(page, className).getByRole('button', { name: 'Add images' }).click();
  await (await chooser).setFiles(files);
  await expect(classRegion(page, className).getByText(`${files.length} photos`)).toBeVisible({ timeout: 120_000 });
}

test('the shortcut check names the class told apart by a painted frame, and heatmaps show where the model looks', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await openStudio(page);
  await createProject(page, 'Framed photos');
  // Both classes hold the same kinds of photos (ants and bees alike): only the frame tells them apart.
  await addClass(page, 'framed');
  await addClass(page, 'plain');
  const ants = filesIn('datasets', 'hymenoptera', 'train', 'ants').filter((f) => f.endsWith('.jpg'));
  const bees = filesIn('datasets', 'hymenoptera', 'train', 'bees');
  const mixed = (from: number) => [...ants.slice(from, from + 15), ...bees.slice(from, from + 15)];
  await addPhotos(page, 'framed', await squarePhotos(page, mixed(0), '#e4007c'));
  await addPhotos(page, 'plain', await squarePhotos(page, mixed(15), null));
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await trainAndWait(page);

  // Preview: a picked photo's heatmap for the predicted class, then for the other class.
  const [photo] = await squarePhotos(page, [filesIn('datasets', 'hymenoptera', 'val', 'bees')[0]!], null);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose photos to test' }).click();
  await (await chooser).setFiles([photo!]);
  const item = page.getByRole('list', { name: 'Predictions' }).locator(':scope > li');
  await item.getByRole('button', { name: `What the model looks at in ${photo!.name}` }).click();
  const figure = item.getByRole('figure');
  await expect(figure.locator('figcaption')).toHaveText(
    /^Evidence for “(framed|plain)” \(\d+ ?%\): strongest (at|on|in) the [a-z ]+; \d+ ?% of it at the photo’s edges\.$/,
  );
  await expect(
    figure.getByRole('img', { name: /The photo as the model sees it, coloured where it found evidence for “(framed|plain)”/ }),
  ).toBeVisible();
  const select = item.getByRole('combobox', { name: 'Evidence for' });
  await select.selectOption({ label: (await select.locator('option').filter({ hasText: 'framed' }).innerText()).trim() });
  await expect(figure.locator('figcaption')).toHaveText(/^(Evidence for “framed”|Nothing in this photo points to “framed”)/);

  // The webcam: a heatmap about once a second, beside the live answer.
  await page.getByRole('button', { name: 'Use webcam' }).click();
  const live = page.getByRole('group', { name: 'Live webcam preview' });
  await live.getByRole('checkbox', { name: 'Show what it looks at (once a second)' }).check();
  await expect(live.getByRole('figure').locator('figcaption')).toHaveText(
    /^(Evidence for|Nothing in this photo points to) “(framed|plain)”/,
  );
  const problems = await axeProblems(page, 'Preview with heatmaps');
  await live.getByRole('button', { name: 'Stop webcam' }).click();

  // Evaluate: the planted frame is found, on the framed class alone, with the photos that show it.
  await page.getByRole('link', { name: '3. Evaluate' }).click();
  const check = page.getByRole('region', { name: 'Does the model look at the right thing?' });
  await expect(check.getByRole('list', { name: 'Evidence at the edges, by class' })).toBeVisible({ timeout: 120_000 });
  const warning = check.getByRole('group', { name: '“framed” may rely on its background' });
  await expect(warning).toContainText(/“framed” seems to be recognised by its background: \d+ ?% of the evidence/);
  await expect(check.getByRole('group', { name: '“plain” may rely on its background' })).toHaveCount(0);
  // Its photos open with their heatmap.
  await warning
    .getByRole('button', { name: /^Open .+ \(\d+ ?% of the evidence at the edges\)$/ })
    .first()
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'What the model looks at' }).click();
  await expect(dialog.getByRole('figure').locator('figcaption')).toHaveText(/^Evidence for “framed”/);
  problems.push(...(await axeProblems(page, 'Evaluate: shortcut found, photo dialog with its heatmap')));
  expect(problems, problems.join('\n')).toEqual([]);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // After a reload the check is made again for the model in use, with the same finding.
  await page.reload();
  await expect(page.getByRole('group', { name: '“framed” may rely on its background' })).toBeVisible({ timeout: 120_000 });
});
