/**
 * Plain-language hints for where beginners stall: one class only, too few photos, very unbalanced classes, and a
 * model that only guesses. Pure rules; the page words them (src/ui/components/BeginnerHints.svelte, messages under
 * "hints" in the locale files). The photo-count rules are the dataset health check's (src/ml/health.ts).
 */
import { balanceFindings, FEW_PHOTOS_BELOW } from '../api/domain';

export interface ClassCount {
  id: string;
  name: string;
  /** Training photos (test-only ones do not count). */
  count: number;
}

/** What the hints need of a finished training. */
export interface RunSummary {
  classes: readonly { name: string }[];
  metrics: { validationAccuracy: number | null; validationCount: number; confusion: readonly (readonly number[])[] };
  /** Imported models were not trained here: their score says nothing about these photos. */
  imported?: unknown;
}

export type Hint =
  | { kind: 'one-class'; name: string }
  | { kind: 'few-photos'; names: string[]; needed: number }
  | { kind: 'unbalanced'; small: string; large: string; smallCount: number; largeCount: number }
  | { kind: 'guessing'; accuracy: number; chance: number }
  | { kind: 'same-answer'; name: string };

/**
 * A score within this share of the way from chance to perfect is still guessing: with 3 classes chance is 33%, so
 * anything under 33% + 0.15 × 67% ≈ 43% counts.
 */
export const GUESSING_MARGIN = 0.15;

/** Hints about the photos, most fundamental first: one class, then too few photos, then unbalanced classes. */
export function datasetHints(classes: readonly ClassCount[]): Hint[] {
  if (classes.length === 0) return [];
  if (classes.length === 1) return [{ kind: 'one-class', name: classes[0]!.name }];
  const findings = balanceFindings(classes);
  const hints: Hint[] = [];
  const few = findings.filter((f) => f.kind === 'few-photos').map((f) => nameOf(classes, f.classIds[0]!));
  if (few.length) hints.push({ kind: 'few-photos', names: few, needed: FEW_PHOTOS_BELOW });
  // Imbalance matters once the small class is no longer simply "too few": otherwise the hint above says it.
  for (const f of findings) {
    if (f.kind !== 'imbalance') continue;
    const [smallId, largeId] = f.classIds as [string, string];
    const small = classes.find((c) => c.id === smallId)!;
    const large = classes.find((c) => c.id === largeId)!;
    if (small.count < FEW_PHOTOS_BELOW) continue;
    hints.push({ kind: 'unbalanced', small: small.name, large: large.name, smallCount: small.count, largeCount: large.count });
  }
  return hints;
}

/**
 * Hints about a finished training: every held-back photo got the same answer, or the score is about what guessing
 * would get. None when there is no honest score (no photos held back) or the model was imported.
 */
export function modelHints(run: RunSummary | null): Hint[] {
  if (!run || run.imported) return [];
  const { validationAccuracy, validationCount, confusion } = run.metrics;
  const k = run.classes.length;
  if (validationAccuracy === null || validationCount < 2 || k < 2) return [];
  // confusion[truth][predicted]: a column holding every answer means one answer for everything.
  const answered = run.classes.map((_, p) => confusion.reduce((sum, row) => sum + (row[p] ?? 0), 0));
  const truths = confusion.filter((row) => row.some((v) => v > 0)).length;
  const only = answered.findIndex((n) => n === validationCount);
  if (only >= 0 && truths >= 2) return [{ kind: 'same-answer', name: run.classes[only]!.name }];
  const chance = 1 / k;
  if (validationAccuracy < chance + GUESSING_MARGIN * (1 - chance)) {
    return [{ kind: 'guessing', accuracy: validationAccuracy, chance }];
  }
  return [];
}

function nameOf(classes: readonly ClassCount[], id: string): string {
  return classes.find((c) => c.id === id)?.name ?? '';
}
