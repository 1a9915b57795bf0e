import { existsSync, readFileSync } from 'node:fs';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { wasmThreadsPatches } from './scripts/vite-wasm-threads.ts';
import { SECURITY_HEADERS } from './src/shared/security-headers.ts';

// Set by scripts/prepare-backbone.mjs when the build brings the backbone along (public/models/…).
const BUNDLED_BACKBONE = 'models/mobilenet-v2-0.35-224/model.json';
const bundled = existsSync(`public/${BUNDLED_BACKBONE}`) ? BUNDLED_BACKBONE : '';
// Larger MobileNetV2s a build may bring along (KILN_BACKBONE_SOURCE_1_00 …): served, but not precached.
const LARGER = ['0.50', '0.75', '1.00'];
// MobileNetV3-Small (KILN_BACKBONE_SOURCE_V3_SMALL) is served the same way.
const OTHERS = [...LARGER.map((alpha) => `mobilenet-v2-${alpha}-224`), 'mobilenet-v3-small-1.0-224'];
const largerBundled = Object.fromEntries(
  OTHERS.map((id) => [id, `models/${id}/model.json`]).filter(([, path]) => existsSync(`public/${path}`)),
);
// Shown in the Privacy dialog; KILN_BUILD_TAG tells two builds of one version apart (the update test uses it).
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const buildLabel = process.env.KILN_BUILD_TAG ? `${version}+${process.env.KILN_BUILD_TAG}` : version;

export default defineConfig({
  base: './',
  plugins: [
    svelte(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      includeManifestIcons: false,
      injectManifest: {
        // Everything the studio needs offline, the bundled backbone weights included.
        globPatterns: ['**/*.{html,js,css,wasm,svg,png,webmanifest,json,bin}'],
        // The larger backbones are fetched when first chosen and then kept in IndexedDB, so the first
        // visit does not download megabytes most people never use.
        globIgnores: ['**/*.map', ...OTHERS.map((id) => `models/${id}/**`)],
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      },
      manifest: {
        name: 'Kiln — image classifier studio',
        short_name: 'Kiln',
        description: 'Teach an image classifier with your own photos, on your own device. Nothing is uploaded.',
        theme_color: '#b4471f',
        background_color: '#fbf8f5',
        display: 'standalone',
        start_url: './',
        scope: './',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/kiln.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
    }),
  ],
  define: {
    'import.meta.env.VITE_KILN_BUNDLED_BACKBONE': JSON.stringify(bundled),
    'import.meta.env.VITE_KILN_BUNDLED_BACKBONES': JSON.stringify(JSON.stringify(largerBundled)),
    'import.meta.env.VITE_KILN_VERSION': JSON.stringify(buildLabel),
  },
  // Workers are bundled separately: the studio worker (tfjs) needs the WASM patches too.
  worker: { format: 'es', plugins: () => [wasmThreadsPatches()] },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  server: { headers: SECURITY_HEADERS },
  preview: { headers: SECURITY_HEADERS, port: 4173 },
});
