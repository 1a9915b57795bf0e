import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { expect, test } from './fixtures';
import { download, filesIn, openSettings, openStudio, projectWith, setNumber, trainAndWait } from './helpers';

/**
 * The demo page speaks the interface language: exported from Kiln in Arabic it is Arabic and right to left,
 * and its result reads "الأرجح: نحل (91%)" in that order, the class name isolated from the sentence around it.
 * The file keeps the Arabic project name, and opens from file:// with nothing fetched (docs/EXPORT.md).
 */

const TRAIN = ['datasets', 'hymenoptera', 'train'];
const BEE = filesIn('datasets', 'hymenoptera', 'val', 'bees')[0]!;
const BEES = 'نحل';
const ANTS = 'نمل';

test('a demo page exported from the Arabic interface is in Arabic, right to left, with its result in order', async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await projectWith(page, 'نحل ونمل', {
    [BEES]: filesIn(...TRAIN, 'bees').slice(0, 8),
    [ANTS]: filesIn(...TRAIN, 'ants').slice(0, 8),
  });
  await openSettings(page);
  await setNumber(page, 'Epochs', 10);
  await setNumber(page, 'Augmented copies per photo', 0);
  await trainAndWait(page);

  // Export, with the interface switched to Arabic on the way.
  await page.getByRole('link', { name: '4. Export' }).click();
  await page.getByLabel('Language').selectOption('ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 2, name: 'جرّبه في صفحة ويب' })).toBeVisible();
  const demo = await download(page, page.getByRole('button', { name: /^تنزيل صفحة العرض/ }));
  // The Arabic project name stays readable in the file name.
  expect(demo.name).toBe('نحل-ونمل-demo.html');

  // Opened from disk in a tab of its own, with every off-device request refused and recorded, and no page
  // error or Content-Security-Policy violation allowed.
  const demoPage = await context.newPage();
  const offDevice: string[] = [];
  const problems: string[] = [];
  const local = /^(file|data|blob):/;
  demoPage.on('request', (request) => {
    if (!local.test(request.url())) offDevice.push(request.url());
  });
  demoPage.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  demoPage.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|create|apply|connect)/i.test(message.text()))
      problems.push(message.text());
  });
  await demoPage.route(
    (url) => !local.test(url.href),
    (route) => route.abort('blockedbyclient'),
  );
  const file = test.info().outputPath('demo.html');
  writeFileSync(file, demo.bytes);
  await demoPage.goto(pathToFileURL(file).href);

  const html = demoPage.locator('html');
  await expect(html).toHaveAttribute('lang', 'ar');
  await expect(html).toHaveAttribute('dir', 'rtl');
  const status = demoPage.getByRole('status');
  await expect(status).toHaveText('جاهز', { timeout: 60_000 });
  await expect(demoPage.getByRole('heading', { level: 1 })).toHaveText('نحل ونمل');
  await expect(demoPage.getByText('يعمل بالكامل على هذا الجهاز؛ لا يُرفع أي شيء.')).toBeVisible();
  await expect(demoPage.getByRole('button', { name: 'استخدام الكاميرا' })).toBeEnabled();
  await expect(demoPage.getByRole('list', { name: 'التوقعات' })).toBeVisible();
  await expect(demoPage.getByText(/المحرّك: (WebGL|CPU)$/)).toBeVisible();
  await expect(demoPage.getByText(/^صُنعت باستخدام Kiln في /)).toBeVisible();

  await demoPage.getByLabel('اختيار صورة').setInputFiles(BEE);
  await expect(status).toHaveText(new RegExp(`^الأرجح: (${BEES}|${ANTS}) \\(`), { timeout: 60_000 });

  // The best class and its percentage, written as the page's locale writes it (Kiln's digits for Arabic).
  const meters = new Map<string, number>();
  for (const meter of await demoPage.getByRole('meter').all())
    meters.set((await meter.getAttribute('aria-label')) ?? '', Number(await meter.getAttribute('aria-valuenow')) / 100);
  expect([...meters.keys()]).toEqual([BEES, ANTS]);
  const [best, probability] = [...meters].sort((a, b) => b[1] - a[1])[0]!;
  const locale = await demoPage.evaluate(
    () => (JSON.parse(document.getElementById('kiln-config')!.textContent!) as { locale: string }).locale,
  );
  expect(locale).toMatch(/^ar\b/);
  const percent = await demoPage.evaluate(
    ({ p, tag }) => new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 }).format(p),
    { p: probability, tag: locale },
  );
  await expect(status).toHaveText(`الأرجح: ${best} (${percent})`);
  await expect(demoPage.getByRole('meter', { name: best, exact: true })).toHaveAttribute('aria-valuetext', percent);

  // The name is isolated (<bdi>), so on the right-to-left line it sits right of its bracketed percentage:
  // "الأرجح: نحل (91%)", never "(%91) نحل".
  const name = status.locator('bdi', { hasText: best });
  const number = status.locator('bdi', { hasText: percent });
  await expect(name).toHaveCount(1);
  const nameBox = (await name.boundingBox())!;
  const numberBox = (await number.boundingBox())!;
  expect(nameBox.x).toBeGreaterThan(numberBox.x + numberBox.width - 1);

  // Nothing in English on the page (its rendered text: the inline scripts are code, not text).
  const text = await demoPage.locator('body').innerText();
  for (const english of ['Top:', 'Ready', 'Use the webcam', 'Choose a photo', 'Backend:', 'Made with Kiln', 'Predicting'])
    expect(text).not.toContain(english);
  await expect(demoPage.getByRole('alert')).toHaveText('');
  expect(offDevice).toEqual([]);
  expect(problems).toEqual([]);
});
