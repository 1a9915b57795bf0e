import { wrap } from 'comlink';
import type { BenchApi } from './bench.worker';

/** Handles for the bench driver (bench/*.bench.ts, through Playwright's page.evaluate). */
const bench = wrap<BenchApi>(new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'kiln-bench' }));
(window as unknown as { kiln: unknown }).kiln = { bench };
document.body.dataset.ready = 'true';
import './quality-page';
