import { expect, test } from './fixtures';
import { addClass, addImages, classRegion, createProject, filesIn, openStudio } from './helpers';

/**
 * The webcam capture and the gallery in Arabic: their controls have Arabic names, the page runs right to
 * left, and the gallery's arrow keys follow the reading direction (→ goes back to the previous photo).
 */
const ROCK = filesIn('datasets', 'rps', 'rock').slice(0, 3);

test('in Arabic, the webcam capture and the gallery speak Arabic and run right to left', async ({ page }) => {
  test.setTimeout(180_000);
  await openStudio(page);
  await createProject(page, 'Arabic capture');
  await addClass(page, 'rock');
  await addImages(page, 'rock', ROCK);
  const rock = classRegion(page, 'rock');
  await rock.getByRole('button', { name: 'Use webcam' }).click();
  await expect(rock.getByRole('button', { name: 'Take photo' })).toBeEnabled({ timeout: 30_000 });

  // Switching the language changes the open webcam and gallery at once, without a reload.
  await page.getByLabel('Language').selectOption('ar');
  expect(await page.evaluate(() => document.dir)).toBe('rtl');

  const webcam = rock.getByRole('group', { name: 'الكاميرا للفئة rock' });
  const camera = webcam.getByRole('combobox', { name: 'الكاميرا' });
  await expect(camera.getByRole('option')).toHaveText([
    'الكاميرا الأمامية',
    'الكاميرا الخلفية',
    'fake_device_0',
    'fake_device_1',
  ]);
  await expect(webcam.getByRole('button', { name: 'اضغط مطوّلًا للتسجيل' })).toBeEnabled();
  await expect(webcam.getByRole('button', { name: 'عرض معكوس كالمرآة' })).toBeVisible();
  await expect(webcam.getByRole('combobox', { name: 'العدّ التنازلي' })).toBeVisible();
  await webcam.getByRole('button', { name: 'التقاط صورة' }).click();
  await expect(webcam.getByRole('status').filter({ hasText: 'التُقطت' })).toHaveText('التُقطت صورة واحدة');
  await webcam.getByRole('button', { name: 'إغلاق الكاميرا' }).click();
  await expect(webcam).toHaveCount(0);

  // The gallery: Arabic names, the first photo at the right-hand end, → goes back and ← goes on.
  const grid = rock.getByRole('grid', { name: 'صور rock' });
  await expect(grid.getByRole('gridcell')).toHaveCount(4);
  await expect(rock.getByRole('combobox', { name: 'الترتيب حسب' })).toBeVisible();
  await expect(rock.getByRole('button', { name: 'تحديد الصور' })).toBeVisible();
  await expect(rock.getByRole('button', { name: 'فتح بحجم كبير' })).toBeVisible();
  const cells = grid.getByRole('gridcell');
  const first = (await cells.nth(0).boundingBox())!;
  const second = (await cells.nth(1).boundingBox())!;
  expect(first.x).toBeGreaterThan(second.x);

  await cells.nth(0).click();
  await expect(rock.getByRole('status').filter({ hasText: 'محددة' })).toHaveText('صورة واحدة محددة');
  const selected = rock.getByRole('group', { name: 'الصور المحددة من rock' });
  await expect(selected.getByRole('button', { name: 'حذف المحدد' })).toBeVisible();
  await expect(selected.getByRole('button', { name: 'إلغاء التحديد' })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(cells.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(cells.nth(0)).toBeFocused();
});
