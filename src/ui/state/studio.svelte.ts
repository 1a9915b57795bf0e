import { CHANGES_CHANNEL, type TabChange } from '../../api/changes';
import { createClient } from '../../api/client';
import type { Studio, StudioApi } from '../../api/contract';
import { BACKEND_NAMES, type BackendName, type EngineStatus } from '../../api/types';
import { openKilnDB, type KilnDB } from '../../storage/db';
import { t } from '../i18n/i18n';
import { errorText } from '../i18n/messages';
import { deliver, onChange } from './changes';

function startErrorMessage(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'VersionError') {
    return t('app.newerData');
  }
  return errorText(error);
}

function forcedBackend(): BackendName | null {
  const value = new URLSearchParams(location.search).get('backend');
  return BACKEND_NAMES.find((name) => name === value) ?? null;
}

function bundledBackboneUrl(): string | null {
  const path = import.meta.env.VITE_KILN_BUNDLED_BACKBONE;
  return path ? new URL(path, document.baseURI).href : null;
}

/** The larger backbones this build brought along, by id (fetched from here on first use, not precached). */
function bundledBackbones(): Record<string, string> {
  const paths = JSON.parse(import.meta.env.VITE_KILN_BUNDLED_BACKBONES || '{}') as Record<string, string>;
  return Object.fromEntries(Object.entries(paths).map(([id, path]) => [id, new URL(path, document.baseURI).href]));
}

/** A touch-first device (an iPad, a phone): its memory is small and shared, and only the page can tell. */
function touchFirst(): boolean {
  return globalThis.matchMedia?.('(pointer: coarse)').matches ?? false;
}

function startWorker(): Worker {
  return new Worker(new URL('../../workers/studio.worker.ts', import.meta.url), { type: 'module', name: 'kiln-studio' });
}

/**
 * The worker, the page's read connection to IndexedDB, and what the engine reported at start. Only
 * state classes use `api` and `db()`; screens and components call the state classes.
 */
class StudioState {
  readonly api: Studio = createClient<StudioApi>(startWorker(), deliver);
  /** A touch-first device, whose memory is small: no advice towards larger image models there. */
  readonly lowMemory = touchFirst();
  /** Identifies this tab in the changes other tabs hear. */
  readonly tabId = crypto.randomUUID();
  status = $state.raw<EngineStatus | null>(null);
  startError = $state<string | null>(null);
  /** Set when another tab upgraded the database: this tab must reload. */
  outdated = $state(false);
  #db: Promise<KilnDB> | null = null;

  constructor() {
    onChange((change) => (change.scope === 'engine' ? this.refreshStatus() : undefined));
  }

  db(): Promise<KilnDB> {
    this.#db ??= openKilnDB({
      onVersionChange: () => {
        this.outdated = true;
      },
    });
    return this.#db;
  }

  async start(): Promise<void> {
    try {
      await this.db();
      this.status = await this.api.start({
        forceBackend: forcedBackend(),
        bundledBackboneUrl: bundledBackboneUrl(),
        bundledBackbones: bundledBackbones(),
        tabId: this.tabId,
        lowMemoryHint: touchFirst(),
      });
    } catch (error) {
      this.startError = startErrorMessage(error);
    }
  }

  /** Hears what other tabs' workers change (this tab's own changes come with each call's result). */
  followOtherTabs(): () => void {
    if (typeof BroadcastChannel === 'undefined') return () => undefined;
    const channel = new BroadcastChannel(CHANGES_CHANNEL);
    channel.onmessage = (event: MessageEvent<TabChange>) => {
      const { origin, scope, projectId } = event.data;
      if (origin !== this.tabId) void deliver([{ scope, projectId }]);
    };
    return () => channel.close();
  }

  /** Re-reads the engine's state now, e.g. when a training reports that a lost GPU moved it to another backend. */
  async refreshStatus(): Promise<void> {
    if (this.status) this.status = await this.api.status();
  }

  async importBackbone(files: File[]): Promise<void> {
    this.status = await this.api.importBackbone({ files });
  }

  get ready(): boolean {
    return this.status?.backbone.state === 'ready';
  }
}

export const studio = new StudioState();
