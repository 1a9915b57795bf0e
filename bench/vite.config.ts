import { defineConfig } from 'vite';
import { wasmThreadsPatches } from '../scripts/vite-wasm-threads.ts';

/**
 * The benchmark page: a production (minified) build of the same worker code as the studio, plus a
 * bench worker that times its parts. Served with the studio's headers by bench/server.ts.
 */
export default defineConfig({
  root: 'bench',
  base: './',
  build: { outDir: '../dist-bench', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8192 },
  worker: { format: 'es', plugins: () => [wasmThreadsPatches()] },
  logLevel: 'warn',
});
