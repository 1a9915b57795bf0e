import { describe, expect, it } from 'vitest';
import { fetchModel, ModelFilesError, modelFromFiles, parseModelJson } from './model-artifacts';

const modelJson = JSON.stringify({
  modelTopology: { class_name: 'Sequential' },
  weightsManifest: [{ paths: ['a.bin', 'b.bin'], weights: [{ name: 'w', shape: [2, 3], dtype: 'float32' }] }],
});

describe('model files', () => {
  it('joins weight shards in manifest order', async () => {
    const shards: Record<string, ArrayBuffer> = {
      'a.bin': new Float32Array([1, 2]).buffer,
      'b.bin': new Float32Array([3, 4, 5, 6]).buffer,
    };
    const model = await modelFromFiles(modelJson, async (path) => shards[path]!);
    expect(Array.from(new Float32Array(model.weightData))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(model.weightSpecs[0]!.name).toBe('w');
  });

  it('refuses truncated weights with the sizes involved', async () => {
    const short = modelFromFiles(modelJson, async () => new Float32Array([1]).buffer);
    await expect(short).rejects.toThrow(/hold 8 bytes but model.json describes 24/);
  });

  it('refuses files that are not a layers model', () => {
    expect(() => parseModelJson('{')).toThrow(ModelFilesError);
    expect(() => parseModelJson('{"format": "graph-model"}')).toThrow(/not a TensorFlow.js layers model/);
  });

  it('fetches weights relative to model.json and reports HTTP failures', async () => {
    const seen: string[] = [];
    const fakeFetch = (async (url: string) => {
      seen.push(String(url));
      if (String(url).endsWith('model.json')) return new Response(modelJson);
      if (String(url).endsWith('b.bin')) return new Response('missing', { status: 404, statusText: 'Not Found' });
      return new Response(new Float32Array([1, 2]).buffer);
    }) as typeof fetch;
    await expect(fetchModel('https://example.test/m/model.json', fakeFetch)).rejects.toThrow(/b\.bin answered 404 Not Found/);
    expect(seen).toEqual(['https://example.test/m/model.json', 'https://example.test/m/a.bin', 'https://example.test/m/b.bin']);
  });
});
