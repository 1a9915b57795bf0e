import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  {
    ignores: [
      'dist/',
      'dist-next/',
      'dist-bench/',
      'dist-*/',
      'node_modules/',
      'public/models/',
      'test-results/',
      'test-results-*/',
      'playwright-report/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig },
    },
  },
  {
    // The ML domain and the worker never touch the page: keep DOM-only globals out of them.
    files: ['src/ml/**/*.ts', 'src/workers/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'document', 'window', 'localStorage'],
    },
  },
  // The layers (docs/ARCHITECTURE.md): ui -> api -> (worker) -> ml, storage, export -> shared.
  layer('src/ui', 'the page reaches the worker through src/api and its state classes only', {
    folders: ['workers', 'ml', 'storage', 'export'],
    packages: ['comlink', 'idb', '@tensorflow/*'],
  }),
  // State classes are the page's only readers of stored data (IndexedDB reads skip a worker round trip).
  layer('src/ui/state', 'state classes call the api and read storage; nothing else', {
    folders: ['workers', 'ml', 'export'],
    packages: ['comlink', '@tensorflow/*'],
  }),
  layer('src/api', 'the contract names the worker by type only', {
    folders: ['ui', 'storage', 'export'],
    typesOnly: ['workers'],
  }),
  layer('src/storage', 'storage never reaches up to the worker or the page', { folders: ['workers', 'ui', 'ml'] }),
  layer('src/export', 'export/ never reaches up to the worker or the page', { folders: ['workers', 'ui', 'storage'] }),
  layer('src/ml', 'ml/ is TensorFlow.js domain code: no worker, page or storage', { folders: ['workers', 'ui', 'storage'] }),
  layer('src/shared', 'shared/ helpers depend on nothing of Kiln but the api', {
    folders: ['workers', 'ui', 'ml', 'storage', 'export'],
  }),
);

/**
 * A no-restricted-imports rule for the files under `dir`: the src/ folders and packages it may not
 * import, and the folders it may import for types alone. Tests are exempt (they set things up).
 */
function layer(dir, message, { folders = [], packages = [], typesOnly = [] }) {
  const inFolders = (names) => names.flatMap((name) => [`**/${name}/*`, `**/${name}/**`]);
  const patterns = [{ group: [...inFolders(folders), ...packages], message }];
  if (typesOnly.length) patterns.push({ group: inFolders(typesOnly), message, allowTypeImports: true });
  return {
    files: [`${dir}/**/*.ts`, `${dir}/**/*.svelte`],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}
