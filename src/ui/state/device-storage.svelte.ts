/**
 * Persistent storage: without it the browser may clear Kiln's photos and models when the disk runs
 * low. Requested automatically when Kiln is installed as an app, and on request otherwise.
 */
class DeviceStorage {
  persisted = $state<boolean | null>(null);
  /** The person asked and the browser said no (Chromium decides by how much the site is used, or installed). */
  declined = $state(false);
  usage = $state<number | null>(null);
  quota = $state<number | null>(null);

  async refresh(): Promise<void> {
    if (!navigator.storage) return;
    this.persisted = (await navigator.storage.persisted?.()) ?? null;
    const estimate = await navigator.storage.estimate?.();
    this.usage = estimate?.usage ?? null;
    this.quota = estimate?.quota ?? null;
  }

  async requestPersistence(): Promise<boolean> {
    const granted = (await navigator.storage?.persist?.()) ?? false;
    this.persisted = granted;
    this.declined = !granted;
    return granted;
  }

  /** Installed apps ask once at start and again when the install happens. */
  watchInstall(): void {
    const installed = () => void this.requestPersistence();
    if (matchMedia('(display-mode: standalone)').matches) installed();
    addEventListener('appinstalled', installed);
    void this.refresh();
  }
}

export const deviceStorage = new DeviceStorage();
