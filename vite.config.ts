import { existsSync } from 'node:fs';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { wasmThreadsPatches } from './scripts/vite-wasm-threads.ts';

/** Cross-origin isolation: needed for SharedArrayBuffer, hence for WASM threads. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Set by scripts/prepare-backbone.mjs when the build brings the backbone along (public/models/…).
const BUNDLED_BACKBONE = 'models/mobilenet-v2-0.35-224/model.json';
const bundled = existsSync(`public/${BUNDLED_BACKBONE}`) ? BUNDLED_BACKBONE : '';

export default defineConfig({
  base: './',
  plugins: [svelte()],
  define: {
    'import.meta.env.VITE_KILN_BUNDLED_BACKBONE': JSON.stringify(bundled),
  },
  // Workers are bundled separately: the studio worker (tfjs) needs the WASM fix too.
  worker: { format: 'es', plugins: () => [wasmThreadsPatches()] },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders, port: 4173 },
});
