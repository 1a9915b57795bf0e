import type { BackboneSpec } from '../ml/backbone-catalogue';
import { fetchModel } from '../ml/model-artifacts';
import type { BackboneSourceKind, SerializedModel } from '../api/types';
import type { KilnDB } from '../storage/db';
import { getCachedBackbone } from '../storage/backbones';

export interface FoundBackbone {
  files: SerializedModel;
  source: BackboneSourceKind;
  /** True when the files came from IndexedDB and need not be stored again. */
  cached: boolean;
}

export interface BackboneSearch {
  found: FoundBackbone | null;
  /** Each place tried and what happened there, for the message shown when nothing was found. */
  attempts: string[];
}

/**
 * Looks for the backbone where it may be, cheapest first: this browser's IndexedDB, the copy a build
 * brought along (same origin), then the public bucket.
 */
export async function findBackbone(
  db: KilnDB,
  spec: BackboneSpec,
  bundledUrl: string | null,
  fetchFn: typeof fetch = fetch,
): Promise<BackboneSearch> {
  const attempts: string[] = [];
  const cached = await getCachedBackbone(db, spec.id);
  if (cached) return { found: { files: cached.model, source: cached.source, cached: true }, attempts };
  const places: [BackboneSourceKind, string | null][] = [
    ['bundled', bundledUrl],
    ['public', spec.publicUrl],
  ];
  for (const [source, url] of places) {
    if (!url) continue; // custom backbones have no public address
    try {
      return { found: { files: await fetchModel(url, fetchFn), source, cached: false }, attempts };
    } catch (error) {
      attempts.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { found: null, attempts };
}
