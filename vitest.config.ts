import { defineConfig } from 'vitest/config';

/** Unit tests run in Node: ml/ on tfjs's CPU backend, storage/ against fake-indexeddb. */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/test-setup.ts'],
    testTimeout: 60_000,
  },
});
