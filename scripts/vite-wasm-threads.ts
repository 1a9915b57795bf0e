import type { Plugin } from 'vite';

/**
 * Two source patches to tfjs-backend-wasm's threaded build (tfjs 4.22), applied when Vite bundles
 * the studio worker. Each throws if the code it expects is gone, so a tfjs upgrade cannot silently
 * undo them. See DEVELOPERS.md, "WASM threads in the production build".
 *
 * 1. `_scriptDir`: pthread workers are started from `factory.toString()`, and the factory reads
 *    `_scriptDir` from an outer closure that toString() leaves behind. Unminified that is harmless
 *    (each read is guarded by `typeof`), but the minifier, knowing the variable is declared, turns
 *    the guards into plain reads and every pthread worker dies with a ReferenceError. Declaring
 *    `_scriptDir` inside the factory keeps the stringified source self-contained.
 *
 * 2. Core count: the C++ side caps threads at hardwareConcurrency / 2, assuming two hyper-threads
 *    per core. On a 2-core laptop that is one thread; two threads measured 1.4x faster. Reporting
 *    twice the count removes that halving; setThreadsCount() then decides (capped at 8 by tfjs).
 */
const OUTER = `var WasmBackendModuleThreadedSimd = (() => {
  var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;
  if (typeof __filename !== 'undefined') _scriptDir = _scriptDir || __filename;
  return (
function(WasmBackendModuleThreadedSimd) {`;

const INNER = `var WasmBackendModuleThreadedSimd = (() => {
  return (
function(WasmBackendModuleThreadedSimd) {
  var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;`;

const CORES = `function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return navigator["hardwareConcurrency"]}`;
const CORES_UNHALVED = `function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return navigator["hardwareConcurrency"]*2}`;

function replaceOnce(code: string, from: string, to: string, what: string): string {
  if (!code.includes(from)) {
    throw new Error(
      `tfjs-backend-wasm-threaded-simd.js changed: the ${what} patch no longer applies. Re-check it (DEVELOPERS.md).`,
    );
  }
  return code.replace(from, to);
}

export function patchThreadedFactory(code: string): string {
  return replaceOnce(replaceOnce(code, OUTER, INNER, '_scriptDir'), CORES, CORES_UNHALVED, 'core count');
}

export function wasmThreadsPatches(): Plugin {
  return {
    name: 'kiln:wasm-threads',
    enforce: 'pre',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').endsWith('tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js')) return null;
      return { code: patchThreadedFactory(code), map: null };
    },
  };
}
