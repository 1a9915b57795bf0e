import { defineConfig } from '@playwright/test';

// KILN_E2E_PORT / KILN_OUT_DIR let several builds be tested side by side (one folder and port each).
const PORT = Number(process.env.KILN_E2E_PORT ?? 4180);
const OUT_DIR = process.env.KILN_OUT_DIR ?? 'dist';

/**
 * End-to-end tests run Debian's Chromium (not a downloaded one) against the production build served
 * by `vite preview`, with the fake camera and WebGPU enabled so those paths are tested for real.
 */
export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  // Two files at a time: most of a test is the page and its worker waiting on each other, so two share a
  // 2-core machine well and the whole suite fits CI's time budget (KILN_E2E_WORKERS overrides).
  workers: Number(process.env.KILN_E2E_WORKERS ?? 2),
  // One retry: a test that fails twice fails the run, and one that passes on its second try is listed as flaky in
  // the report (to be fixed, not ignored). On a loaded 2-core machine a timing-sensitive test can miss once.
  retries: Number(process.env.KILN_E2E_RETRIES ?? 1),
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}/`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--enable-unsafe-webgpu',
        // Two fake cameras (fake_device_0 and fake_device_1), so choosing a camera is tested for real.
        '--use-fake-device-for-media-stream=device-count=2',
        '--use-fake-ui-for-media-stream',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--no-sandbox',
      ],
    },
    permissions: ['camera'],
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --outDir ${OUT_DIR}`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
