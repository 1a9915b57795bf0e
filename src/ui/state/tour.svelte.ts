import { t } from '../i18n/i18n';
import { TOUR_CLASSES } from '../tour-steps';
import { projects } from './projects.svelte';
import { router } from './router.svelte';

/** Where the guided tour's state is remembered, on this device only (page side, like the language). */
export const TOUR_STORAGE_KEY = 'kiln.guidedTour';

type Stored = { state: 'dismissed' } | { state: 'finished' } | { state: 'active'; projectId: string };

function read(): Stored | null {
  try {
    const value = JSON.parse(globalThis.localStorage?.getItem(TOUR_STORAGE_KEY) ?? 'null') as Stored | null;
    if (value?.state === 'dismissed' || value?.state === 'finished') return value;
    if (value?.state === 'active' && typeof value.projectId === 'string') return value;
  } catch {
    // unreadable or blocked storage: behave as on a first visit
  }
  return null;
}

function write(value: Stored): void {
  try {
    globalThis.localStorage?.setItem(TOUR_STORAGE_KEY, JSON.stringify(value));
  } catch {
    // storage blocked: the tour still works for this visit
  }
}

/** The guided first project: offered once, dismissible, replayable from the Projects screen. */
class Tour {
  #stored = $state<Stored | null>(read());
  /** Set while the project is being made, so a double click makes one project. */
  starting = $state(false);
  /** Set when the tour starts, so its panel takes focus once (not on every reload). */
  focusPanel = $state(false);

  /** A first visit: the tour has been neither taken nor dismissed. */
  get offered(): boolean {
    return this.#stored === null;
  }

  /** The tour's project while the tour runs, else null. */
  get projectId(): string | null {
    return this.#stored?.state === 'active' ? this.#stored.projectId : null;
  }

  /** Makes the rock-paper-scissors project with its three classes and opens it, the tour panel beside it. */
  async start(): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    try {
      const project = await projects.createWithClasses(
        t('tour.projectName'),
        TOUR_CLASSES.map((name) => t(`tour.classes.${name}`)),
      );
      this.#set({ state: 'active', projectId: project.id });
      this.focusPanel = true;
      router.go({ screen: 'collect', projectId: project.id });
    } finally {
      this.starting = false;
    }
  }

  dismiss(): void {
    this.#set({ state: 'dismissed' });
  }

  /** The tour's project was deleted: the tour ends as if dismissed, so it points at no missing project. */
  projectDeleted(projectId: string): void {
    if (this.projectId !== projectId) return;
    this.focusPanel = false;
    this.dismiss();
  }

  finish(): void {
    this.#set({ state: 'finished' });
  }

  #set(value: Stored): void {
    this.#stored = value;
    write(value);
  }
}

export const tour = new Tour();
