/**
 * What a zip given to Kiln holds, from its entries alone, so a file given to the wrong button is opened the right
 * way (the project button takes all of them) or answered with the button to use (the Teachable Machine buttons).
 */

export type ZipKind = 'kiln-project' | 'tm-project' | 'tm-model' | 'class-folders' | 'unknown';

/** Names of the photo files Kiln reads (dataset-import.ts's types). */
const IMAGE_FILE = /\.(jpe?g|jfif|png|gif|webp|bmp|avif|heic|heif|tiff?)$/i;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Teachable Machine's manifest names the project's type ("image"); its photos are called `<class>-!-<n>.<ext>`. */
function isTmProject(entries: ReadonlyMap<string, Uint8Array>, paths: string[]): boolean {
  if (paths.some((path) => /-!-\d+\.[a-z]+$/i.test(path))) return true;
  const manifest = [...entries].find(([path]) => baseName(path) === 'manifest.json')?.[1];
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(manifest));
    return typeof json === 'object' && json !== null && 'type' in json;
  } catch {
    return false;
  }
}

function manifestFormat(bytes: Uint8Array | undefined): unknown {
  if (!bytes) return undefined;
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof json === 'object' && json !== null ? (json as { format?: unknown }).format : undefined;
  } catch {
    return undefined;
  }
}

/**
 * - a Kiln project file or classroom pack: manifest.json at the root that says `"format": "kiln-project"`;
 * - a Teachable Machine model export: model.json and metadata.json (in any folder);
 * - a Teachable Machine project (.tm): a manifest.json naming its type, or beside `class-!-0.jpg` photos;
 * - photos in class folders: images one folder down or deeper;
 * - anything else: unknown.
 */
export function zipKind(entries: ReadonlyMap<string, Uint8Array>): ZipKind {
  const paths = [...entries.keys()];
  if (manifestFormat(entries.get('manifest.json')) === 'kiln-project') return 'kiln-project';
  const names = new Set(paths.map(baseName));
  if (names.has('model.json') && names.has('metadata.json')) return 'tm-model';
  if (names.has('manifest.json') && isTmProject(entries, paths)) return 'tm-project';
  if (paths.some((path) => path.includes('/') && IMAGE_FILE.test(path))) return 'class-folders';
  return 'unknown';
}
