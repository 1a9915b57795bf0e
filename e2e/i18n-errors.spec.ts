import { expect, test } from './fixtures';

/**
 * Messages made in the worker follow the page's language: a refusal to train arrives with its message key
 * and is shown in Spanish, then in English after the switcher changes the language, without training again.
 */
test.use({ locale: 'es-ES' });

test('a training refusal from the worker is shown in Spanish, and follows a switch to English', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByText(/^Motor: (WebGPU|WebGL|WASM|CPU)/)).toBeVisible({ timeout: 120_000 });

  await page.getByRole('button', { name: 'Nuevo proyecto' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Nuevo proyecto' });
  await dialog.getByRole('textbox', { name: 'Nombre del proyecto' }).fill('Sin clases');
  await dialog.getByRole('button', { name: 'Crear' }).click();
  const steps = page.getByRole('navigation', { name: 'Pasos del proyecto' });
  await steps.getByRole('link', { name: '2. Entrenar y probar' }).click();
  await page.getByRole('button', { name: 'Entrenar', exact: true }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'antes de entrenar' });
  await expect(alert).toHaveText('Añade al menos 2 clases antes de entrenar: el modelo necesita algo que distinguir.');

  await page.getByLabel('Idioma').selectOption('en');
  await expect(page.getByRole('alert').filter({ hasText: 'before training' })).toHaveText(
    'Add at least 2 classes before training: a model needs something to tell apart.',
  );
});
