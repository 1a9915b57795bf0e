import { describe, expect, it } from 'vitest';
import {
  decideBackend,
  deviceFingerprint,
  isSoftwareRenderer,
  plausibleBackends,
  probeWebGPU,
  type BackendProbe,
} from './backends';

const probe = (name: BackendProbe['name'], available: boolean, software: boolean, description = ''): BackendProbe => ({
  name,
  available,
  software,
  description,
});
const CPU = probe('cpu', true, false, 'JavaScript');
const WASM = probe('wasm', true, false, 'SIMD, 2 threads');

describe('software adapters are recognised by their names', () => {
  it.each([
    ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', true],
    ['llvmpipe (LLVM 15.0.6, 256 bits)', true],
    ['Microsoft Basic Render Driver', true],
    ['ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)', false],
    ['Apple M2', false],
  ])('%s → software %s', (name, software) => {
    expect(isSoftwareRenderer(name)).toBe(software);
  });

  it('treats a fallback WebGPU adapter as software even with a neutral name', async () => {
    const gpu = { requestAdapter: async () => ({ info: { vendor: 'acme', architecture: 'x', isFallbackAdapter: true } }) };
    expect(await probeWebGPU(gpu)).toMatchObject({ available: true, software: true });
  });

  it('recognises SwiftShader by its architecture, as Chromium reports it', async () => {
    const gpu = { requestAdapter: async () => ({ info: { vendor: 'google', architecture: 'swiftshader' } }) };
    expect(await probeWebGPU(gpu)).toMatchObject({ available: true, software: true, description: 'google swiftshader' });
  });

  it('reports WebGPU as unavailable without navigator.gpu or an adapter', async () => {
    expect(await probeWebGPU(undefined)).toMatchObject({ available: false });
    expect(await probeWebGPU({ requestAdapter: async () => null })).toMatchObject({ available: false });
  });

  it('accepts a real GPU adapter', async () => {
    const gpu = { requestAdapter: async () => ({ info: { vendor: 'nvidia', architecture: 'ampere' } }) };
    expect(await probeWebGPU(gpu)).toMatchObject({ available: true, software: false });
  });
});

describe('decideBackend', () => {
  const softwareGpu = [probe('webgpu', true, true, 'google swiftshader'), probe('webgl', true, true, 'SwiftShader'), WASM, CPU];

  it('picks WASM without timing anything when the GPU paths are software', () => {
    expect(plausibleBackends(softwareGpu)).toEqual(['wasm']);
    const choice = decideBackend(softwareGpu, {});
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toMatch(/WebGPU runs in software here \(google swiftshader\)/);
    expect(choice.reason).toMatch(/WebGL runs in software/);
  });

  it('picks the fastest measured backend when several are plausible', () => {
    const realGpu = [probe('webgpu', true, false, 'nvidia'), probe('webgl', true, false, 'NVIDIA'), WASM, CPU];
    expect(decideBackend(realGpu, { webgpu: 180, webgl: 120, wasm: 30 }).name).toBe('webgpu');
    // A "GPU" slower than WASM loses: measurement, not assumption.
    const slow = decideBackend(realGpu, { webgpu: 12, webgl: 9, wasm: 30 });
    expect(slow.name).toBe('wasm');
    expect(slow.reason).toMatch(/Fastest measured on this device: WASM 30\.0 images\/s/);
  });

  it('ignores a backend whose measurement failed', () => {
    const realGpu = [probe('webgpu', true, false, 'nvidia'), WASM, CPU];
    const choice = decideBackend(realGpu, { wasm: 25 });
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toMatch(/WebGPU failed to run/);
  });

  it('falls back to CPU when nothing else exists', () => {
    expect(
      decideBackend([probe('webgpu', false, false), probe('webgl', false, false), probe('wasm', false, false), CPU], {}).name,
    ).toBe('cpu');
  });

  it('fingerprints change with the GPU, so a new device measures again', () => {
    const a = deviceFingerprint(softwareGpu, 'UA', 2, true);
    expect(deviceFingerprint(softwareGpu, 'UA', 2, true)).toBe(a);
    expect(deviceFingerprint([probe('webgpu', true, false, 'nvidia'), WASM, CPU], 'UA', 2, true)).not.toBe(a);
  });
});
