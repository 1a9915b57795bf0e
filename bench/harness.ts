import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { startBenchServer } from './server';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const SHARED = path.resolve(ROOT, '../shared');

/** URLs (as the bench page sees them) of every file in a ../shared folder. */
export function sharedUrls(...parts: string[]): string[] {
  return readdirSync(path.join(SHARED, ...parts))
    .sort()
    .map((name) => `/shared/${[...parts, name].map(encodeURIComponent).join('/')}`);
}

/** The bench page, served from dist-bench with ../shared under /shared/. */
export const test = base.extend<{ bench: Page }>({
  bench: async ({ page }, use) => {
    const server = await startBenchServer(path.join(ROOT, process.env.KILN_BENCH_DIR ?? 'dist-bench'), SHARED);
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await use(page);
    await server.close();
  },
});

/** Writes results as JSON under bench/results/, and returns the path. */
export function saveResults(name: string, data: unknown): string {
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ measuredAt: new Date().toISOString(), ...(data as object) }, null, 2));
  return file;
}

/** Prints rows as an aligned text table. */
export function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '';
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : v);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k] ?? '').length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => cell(r[k] ?? ''))))].join(
    '\n',
  );
}
