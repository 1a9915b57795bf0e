import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { patchThreadedFactory } from './vite-wasm-threads';

const require = createRequire(import.meta.url);
const threaded = readFileSync(
  path.join(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'wasm-out/tfjs-backend-wasm-threaded-simd.js',
  ),
  'utf8',
);

describe('WASM threads patches', () => {
  it('make the stringified factory declare _scriptDir itself', () => {
    const patched = patchThreadedFactory(threaded);
    const factoryStart = patched.indexOf('function(WasmBackendModuleThreadedSimd) {');
    const firstScriptDir = patched.indexOf('_scriptDir');
    expect(factoryStart).toBeGreaterThan(0);
    // The first mention is the declaration, inside the function that toString() serialises.
    expect(firstScriptDir).toBeGreaterThan(factoryStart);
    expect(patched.slice(firstScriptDir - 4, firstScriptDir)).toBe('var ');
  });

  it('stop halving the core count', () => {
    expect(patchThreadedFactory(threaded)).toContain('return navigator["hardwareConcurrency"]*2}');
  });

  it('fail loudly when tfjs changes the code they patch', () => {
    expect(() => patchThreadedFactory('var x = 1;')).toThrow(/_scriptDir patch no longer applies/);
  });
});
