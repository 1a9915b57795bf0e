import { SvelteMap } from 'svelte/reactivity';
import type { SampleRecord } from '../../api/types';
import { getSample, getSamples } from '../../storage/samples';
import { studio } from './studio.svelte';

/** What a gallery cell shows of one photo. */
export interface SampleInfo {
  id: string;
  name: string;
  classId: string;
  testOnly: boolean;
  addedAt: number;
  /** Object URL of the thumbnail. */
  url: string;
}

/** Thumbnails no cell shows any more but kept for scrolling back (least recently used go first). */
const IDLE_LIMIT = 400;

/**
 * Thumbnails on demand: a cell acquires a photo id while it is on screen and releases it when it leaves.
 * Reads are batched into one transaction per task; object URLs are made only for photos acquired and revoked
 * when they fall out of the small LRU of released ones. Thumbnails never change for an id; the rest can
 * (test only, class), so refresh() re-reads what is held.
 */
class SampleCache {
  #info = new SvelteMap<string, SampleInfo>();
  #users = new Map<string, number>();
  /** Released ids in release order (a Set iterates in insertion order). */
  #idle = new Set<string>();
  #wanted = new Set<string>();
  /** Released ids whose details may be out of date: re-read when shown again. */
  #stale = new Set<string>();
  #scheduled = false;

  get(id: string): SampleInfo | undefined {
    return this.#info.get(id);
  }

  acquire(id: string): void {
    this.#users.set(id, (this.#users.get(id) ?? 0) + 1);
    this.#idle.delete(id);
    if (!this.#info.has(id) || this.#stale.has(id)) this.#want(id);
  }

  release(id: string): void {
    const left = (this.#users.get(id) ?? 1) - 1;
    if (left > 0) {
      this.#users.set(id, left);
      return;
    }
    this.#users.delete(id);
    this.#idle.add(id);
    for (const oldest of this.#idle) {
      if (this.#idle.size <= IDLE_LIMIT) break;
      this.#idle.delete(oldest);
      this.#drop(oldest);
    }
  }

  /** After a move, a test-only change or a delete: re-reads the photos on screen, and the rest when shown again. */
  refresh(): void {
    for (const id of this.#users.keys()) this.#want(id);
    for (const id of this.#idle) this.#stale.add(id);
  }

  /** Forgets everything (a project closes). */
  clear(): void {
    for (const id of [...this.#info.keys()]) this.#drop(id);
    this.#idle.clear();
    this.#stale.clear();
  }

  /** The whole stored record, large image included, for the photo dialog. */
  async full(id: string): Promise<SampleRecord | undefined> {
    return getSample(await studio.db(), id);
  }

  #held(id: string): boolean {
    return this.#users.has(id) || this.#idle.has(id);
  }

  #drop(id: string): void {
    const info = this.#info.get(id);
    if (info) URL.revokeObjectURL(info.url);
    this.#info.delete(id);
    this.#stale.delete(id);
  }

  #want(id: string): void {
    this.#wanted.add(id);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => void this.#load(), 0);
  }

  async #load(): Promise<void> {
    this.#scheduled = false;
    const ids = [...this.#wanted].filter((id) => this.#held(id));
    this.#wanted.clear();
    if (ids.length === 0) return;
    const records = await getSamples(await studio.db(), ids);
    records.forEach((record, i) => {
      const id = ids[i]!;
      if (!record || !this.#held(id)) {
        if (!record) this.#drop(id);
        return;
      }
      this.#stale.delete(id);
      const url = this.#info.get(id)?.url ?? URL.createObjectURL(record.thumb);
      this.#info.set(id, {
        id,
        name: record.name,
        classId: record.classId,
        testOnly: record.testOnly === true,
        addedAt: record.addedAt,
        url,
      });
    });
  }
}

export const sampleCache = new SampleCache();
