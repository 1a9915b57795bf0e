import { readFileSync } from 'node:fs';
import path from 'node:path';
import { modelFromFiles } from '../ml/model-artifacts';
import type { SerializedModel } from '../api/types';

/** ../shared beside the checkout (read-only; never copied into the repository). */
export const SHARED = path.resolve(import.meta.dirname, '../../../shared');

/** Reads a model folder from ../shared/models the way the app reads picked files. */
export function sharedModel(...parts: string[]): Promise<SerializedModel> {
  const dir = path.join(SHARED, 'models', ...parts);
  return modelFromFiles(readFileSync(path.join(dir, 'model.json'), 'utf8'), async (file) => {
    const bytes = readFileSync(path.join(dir, file));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  });
}
