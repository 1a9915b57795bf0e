/**
 * Plain-language hints for where beginners stall: one class only, too few photos, very unbalanced classes, and a
 * model that only guesses. Pure rules; the page words them (src/ui/components/BeginnerHints.svelte, messages under
 * "hints" in the locale files). The photo counts are Kiln's one rule (src/ml/photo-counts.ts, through the health
 * check's findings); "guessing" is the honest score's (src/ml/honest-score.ts).
 */
import { balanceFindings, honestScore, RECOMMENDED_PHOTOS_PER_CLASS } from '../api/domain';

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
 * Hints about the photos, most fundamental first: one class, then too few photos, then unbalanced classes. Before
 * any photo is added there is nothing to say about photos ("too few" would only scold an empty project).
 */
export function datasetHints(classes: readonly ClassCount[]): Hint[] {
  if (classes.length === 0) return [];
  if (classes.length === 1) return [{ kind: 'one-class', name: classes[0]!.name }];
  if (classes.every((c) => c.count === 0)) return [];
  const findings = balanceFindings(classes);
  const hints: Hint[] = [];
  const few = findings.filter((f) => f.kind === 'few-photos').map((f) => nameOf(classes, f.classIds[0]!));
  if (few.length) hints.push({ kind: 'few-photos', names: few, needed: RECOMMENDED_PHOTOS_PER_CLASS });
  // Imbalance matters once the small class is no longer simply "too few": otherwise the hint above says it.
  for (const f of findings) {
    if (f.kind !== 'imbalance') continue;
    const [smallId, largeId] = f.classIds as [string, string];
    const small = classes.find((c) => c.id === smallId)!;
    const large = classes.find((c) => c.id === largeId)!;
    if (small.count < RECOMMENDED_PHOTOS_PER_CLASS) continue;
    hints.push({ kind: 'unbalanced', small: small.name, large: large.name, smallCount: small.count, largeCount: large.count });
  }
  return hints;
}

/**
 * Hints about a finished training, as the honest score reads its held-back photos: (nearly) every one got the same
 * answer, or the score is about what guessing would get. None when there is no honest score (fewer than two photos
 * held back) or the model was imported.
 */
export function modelHints(run: RunSummary | null): Hint[] {
  if (!run || run.imported) return [];
  const { validationAccuracy, validationCount, confusion } = run.metrics;
  if (validationAccuracy === null || validationCount < 2 || run.classes.length < 2) return [];
  const score = honestScore(confusion);
  if (score.verdict === 'one-answer') return [{ kind: 'same-answer', name: run.classes[score.oneAnswer!.classIndex]!.name }];
  if (score.verdict === 'guessing') return [{ kind: 'guessing', accuracy: score.accuracy!, chance: score.chance }];
  return [];
}

function nameOf(classes: readonly ClassCount[], id: string): string {
  return classes.find((c) => c.id === id)?.name ?? '';
}
