import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { ROOT, SHARED } from './harness';

/**
 * A page of its own running Teachable Machine's library (@teachablemachine/image on its TensorFlow.js 1.3.1, a
 * test-only dependency), with a 224 × 224 canvas `#c` and ../shared under /shared/. Used by the benches that
 * compare Kiln with it.
 */
export async function teachableMachinePage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const origin = 'http://teachable-machine.test';
  const nodeModules = path.join(ROOT, 'node_modules');
  await context.route(`${origin}/**`, async (route) => {
    const pathname = decodeURIComponent(new URL(route.request().url()).pathname);
    const map: Record<string, string> = {
      '/tf.min.js': path.join(nodeModules, '@tensorflow/tfjs/dist/tf.min.js'),
      '/tm.js': path.join(nodeModules, 'tm-image/dist/teachablemachine-image.min.js'),
    };
    if (pathname === '/') {
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><script src="/tf.min.js"></script><script src="/tm.js"></script><canvas id="c" width="224" height="224"></canvas>',
      });
    }
    const file = map[pathname] ?? (pathname.startsWith('/shared/') ? path.join(SHARED, pathname.slice(8)) : null);
    if (!file || !existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({ body: readFileSync(file) });
  });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  return { context, page };
}
