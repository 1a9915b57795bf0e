import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * Languages: the browser's preference picks Spanish, the switcher changes to Arabic at once (right to left),
 * the choice survives a reload, and dates follow the language. Other specs run in the default en-US.
 */
test.use({ locale: 'es-ES' });

/** Today's date as the browser writes it in a language: the project list shows when each project changed. */
function today(page: Page, language: string): Promise<string> {
  return page.evaluate((lng) => new Intl.DateTimeFormat(lng, { dateStyle: 'medium' }).format(Date.now()), language);
}

test('Spanish from the browser, Arabic from the switcher: right to left, remembered, dates localised', async ({ page }) => {
  await page.goto('./');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('lang', 'es');
  await expect(html).toHaveAttribute('dir', 'ltr');
  await expect(page.getByText(/^Motor: (WebGPU|WebGL|WASM|CPU)/)).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Proyectos' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Privacidad' })).toBeVisible();

  // A project made entirely through the Spanish interface.
  await page.getByRole('button', { name: 'Nuevo proyecto' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Nuevo proyecto' });
  await dialog.getByRole('textbox', { name: 'Nombre del proyecto' }).fill('Rocas');
  await dialog.getByRole('button', { name: 'Crear' }).click();
  const steps = page.getByRole('navigation', { name: 'Pasos del proyecto' });
  await expect(steps.getByRole('link', { name: '2. Entrenar y probar' })).toBeVisible();
  await steps.getByRole('link', { name: '4. Exportar' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Exportar' })).toBeVisible();
  await page.getByRole('link', { name: 'Proyectos' }).click();

  const project = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Rocas' }) });
  await expect(project).toContainText('0 clases');
  await expect(project).toContainText(`modificado el ${await today(page, 'es')}`);

  // Arabic from the switcher: no reload, the page turns right to left.
  await page.getByLabel('Idioma').selectOption('ar');
  await expect(html).toHaveAttribute('lang', 'ar');
  await expect(html).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1, name: 'المشاريع' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'مشروع جديد' }).first()).toBeVisible();
  await expect(project).toContainText('لا فئات');
  await expect(project).toContainText(await today(page, 'ar'));
  // The brand, first in the header, now sits at the right-hand end.
  const brand = await page.getByRole('link', { name: 'Kiln' }).boundingBox();
  const width = page.viewportSize()!.width;
  expect(brand!.x).toBeGreaterThan(width / 2);

  // Remembered across a reload, whatever the browser prefers.
  await page.reload();
  await expect(html).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1, name: 'المشاريع' })).toBeVisible();
  await expect(page.getByLabel('اللغة')).toHaveValue('ar');

  // And back to English.
  await page.getByLabel('اللغة').selectOption('en');
  await expect(html).toHaveAttribute('dir', 'ltr');
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await expect(project).toContainText(`0 classes · not trained yet · changed ${await today(page, 'en')}`);
});

test('the Collect screen speaks Spanish, and Arabic after switching, import refusals included', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByText(/^Motor: (WebGPU|WebGL|WASM|CPU)/)).toBeVisible({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Nuevo proyecto' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Nuevo proyecto' });
  await dialog.getByRole('textbox', { name: 'Nombre del proyecto' }).fill('Bichos');
  await dialog.getByRole('button', { name: 'Crear' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Clases y fotos' })).toBeAttached();
  await page.getByRole('textbox', { name: 'Nombre de la clase' }).fill('hormigas');
  await page.getByRole('button', { name: 'Añadir clase' }).click();
  const ants = page.getByRole('region', { name: 'hormigas', exact: true });
  await expect(ants.getByText('0 fotos', { exact: true })).toBeVisible();

  // A zero-byte file is refused with the reason in Spanish.
  const chooser = page.waitForEvent('filechooser');
  await ants.getByRole('button', { name: 'Añadir imágenes' }).click();
  await (await chooser).setFiles([{ name: 'vacia.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) }]);
  const alert = page.getByRole('alert').filter({ hasText: 'vacia.jpg' });
  await expect(alert).toContainText('Se añadieron 0 fotos a «hormigas»; 1 archivo no se pudo añadir.');
  const refused = alert.getByRole('listitem').filter({ hasText: 'vacia.jpg' });
  await expect(refused).toContainText('el archivo está vacío (0 bytes)');
  await expect(alert.getByRole('button', { name: 'Cerrar' })).toBeVisible();

  // Arabic from the switcher: the same notice, already shown, is translated in place.
  await page.getByLabel('Idioma').selectOption('ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('button', { name: 'إضافة فئة' })).toBeVisible();
  await expect(ants.getByRole('button', { name: 'إضافة صور', exact: true })).toBeVisible();
  await expect(refused).toContainText('الملف فارغ (0 بايت)');
});
