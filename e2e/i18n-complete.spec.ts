import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * Nothing in English on a translated screen: the browser's own form messages are replaced by the interface
 * language's (src/ui/validity.ts), and the Backend popover is translated and says there is nothing to set.
 * Every spec also fails on a message missing from the interface language (e2e/fixtures.ts).
 */
test.use({ locale: 'es-ES' });

const validationMessage = (input: Locator) => input.evaluate((el: HTMLInputElement) => el.validationMessage);

test('form checks and the Backend popover speak Spanish, then Arabic', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByText(/^Motor: /)).toBeVisible({ timeout: 120_000 });

  // An empty name is refused in Spanish, not with the browser's "Please fill out this field."
  await page.getByRole('button', { name: 'Nuevo proyecto' }).first().click();
  let dialog = page.getByRole('dialog', { name: 'Nuevo proyecto' });
  let name = dialog.getByRole('textbox', { name: 'Nombre del proyecto' });
  await dialog.getByRole('button', { name: 'Crear' }).click();
  await expect(dialog).toBeVisible();
  expect(await validationMessage(name)).toBe('Completa este campo.');
  await name.fill('Rocas');
  expect(await validationMessage(name)).toBe('');
  await dialog.getByRole('button', { name: 'Cancelar' }).click();

  const badge = page.getByText(/^Motor: /);
  await badge.click();
  const panel = page.getByRole('note', { name: 'Por qué este motor' });
  await expect(panel).toContainText('no hay nada que configurar');
  await expect(panel).not.toContainText('?backend=');
  await expect(panel).not.toContainText('runs in software');
  await badge.click();

  await page.getByLabel('Idioma').selectOption('ar');
  await page.getByRole('button', { name: 'مشروع جديد' }).first().click();
  dialog = page.getByRole('dialog', { name: 'مشروع جديد' });
  name = dialog.getByRole('textbox', { name: 'اسم المشروع' });
  await dialog.getByRole('button', { name: 'إنشاء' }).click();
  expect(await validationMessage(name)).toBe('املأ هذا الحقل.');
  await dialog.getByRole('button', { name: 'إلغاء' }).click();

  await page.getByText(/^المحرّك: /).click();
  const arabic = page.getByRole('note', { name: 'لماذا هذا المحرّك' });
  await expect(arabic).toContainText('فلا حاجة إلى ضبط أي شيء');
  await expect(arabic).not.toContainText('runs in software');
  await expect(arabic).not.toContainText('threads');
});
