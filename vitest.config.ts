import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

/** Unit tests run in Node: ml/ on tfjs's CPU backend, storage/ against fake-indexeddb. */
export default defineConfig({
  // As the app build does (vite.config.ts), so exports made in tests name the release.
  define: { 'import.meta.env.VITE_KILN_VERSION': JSON.stringify(version) },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/test-setup.ts'],
    testTimeout: 60_000,
  },
});
