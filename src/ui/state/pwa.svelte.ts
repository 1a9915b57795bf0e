import { registerSW } from 'virtual:pwa-register';

/**
 * The service worker's news for the page: "ready to work offline" (once, on first install) and
 * "update available" (a new version is waiting; it activates only when the user reloads).
 */
class Pwa {
  offlineReady = $state(false);
  updateReady = $state(false);
  #update: ((reload?: boolean) => Promise<void>) | null = null;

  start(): void {
    if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
    this.#update = registerSW({
      immediate: true,
      onOfflineReady: () => {
        this.offlineReady = true;
      },
      onNeedRefresh: () => {
        this.updateReady = true;
      },
    });
  }

  dismissOfflineReady(): void {
    this.offlineReady = false;
  }

  /** Activates the waiting version and reloads the page. */
  async applyUpdate(): Promise<void> {
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration?.waiting && navigator.serviceWorker.controller) {
      // Workbox tells the waiting worker to take over, then reloads once it controls the page.
      await this.#update?.(true);
    } else {
      // This page was never controlled (first visit): the new worker is already active; a reload uses it.
      location.reload();
    }
  }
}

export const pwa = new Pwa();
