import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

/** Benchmarks: the same Chromium as the tests, one at a time, no time limit per file worth speaking of. */
export default defineConfig({
  testDir: '.',
  testMatch: /\.bench\.ts$/,
  timeout: 60 * 60 * 1000,
  workers: 1,
  reporter: [['list']],
  use: { launchOptions: base.use?.launchOptions },
});
