import { openKilnDB, type KilnDB } from '../../storage/db';
import type { BackendName, EngineStatus } from '../../api/types';
import { BACKEND_NAMES } from '../../api/types';
import { startStudioWorker, type StudioClient } from '../../workers/studio-client';
import { t } from '../i18n/i18n';
import { errorText } from '../i18n/messages';

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

/** A touch-first device (an iPad, a phone): its memory is small and shared, and only the page can tell. */
function touchFirst(): boolean {
  return globalThis.matchMedia?.('(pointer: coarse)').matches ?? false;
}

/** The worker, the page's read connection to IndexedDB, and what the engine reported at start. */
class Studio {
  readonly client: StudioClient = startStudioWorker();
  /** Identifies this tab in change announcements (see api/changes.ts). */
  readonly tabId = crypto.randomUUID();
  status = $state.raw<EngineStatus | null>(null);
  startError = $state<string | null>(null);
  /** Set when another tab upgraded the database: this tab must reload. */
  outdated = $state(false);
  #db: Promise<KilnDB> | null = null;

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
      this.status = await this.client.start({
        forceBackend: forcedBackend(),
        bundledBackboneUrl: bundledBackboneUrl(),
        tabId: this.tabId,
        lowMemoryHint: touchFirst(),
      });
    } catch (error) {
      this.startError = startErrorMessage(error);
    }
  }

  /** Re-reads the engine's state, e.g. after a lost GPU moved it to another backend. */
  async refreshStatus(): Promise<void> {
    if (this.status) this.status = await this.client.status();
  }

  async importBackbone(files: File[]): Promise<void> {
    this.status = await this.client.importBackbone(files);
  }

  get ready(): boolean {
    return this.status?.backbone.state === 'ready';
  }
}

export const studio = new Studio();
