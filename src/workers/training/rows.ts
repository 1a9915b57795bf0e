import type { TrainingRows } from '../../ml/train-loop';
import type { EmbeddedViews, SampleView } from './embed-views';

/** The rows a training loop reads, by sample index. */
export interface RowLookup {
  /** Each sample's plain row and its augmented rows. */
  training(indices: readonly number[]): TrainingRows;
  /** Each sample's plain row only; null when there are no samples. */
  validation(indices: readonly number[]): TrainingRows | null;
}

/** Looks up the embedded rows of the samples a loop trains or validates on. */
export function rowLookup(
  views: readonly SampleView[],
  { vectors, rowShape }: EmbeddedViews,
  labels: readonly number[],
): RowLookup {
  const plainRow = new Map<number, number>();
  const augRows = new Map<number, number[]>();
  views.forEach(({ sample, view }, row) => {
    if (view === 0) plainRow.set(sample, row);
    else augRows.set(sample, [...(augRows.get(sample) ?? []), row]);
  });
  const rowLabels = views.map((v) => labels[v.sample]!);
  const size = rowShape.reduce((a, b) => a * b, 1);
  /** The given rows copied into one flat array, with their labels. */
  const rows = (indices: readonly number[]): TrainingRows => {
    const values = new Float32Array(indices.length * size);
    indices.forEach((index, row) => values.set(vectors[index]!, row * size));
    return { values, rowShape, labels: indices.map((i) => rowLabels[i]!) };
  };
  return {
    training: (indices) => rows(indices.flatMap((i) => [plainRow.get(i)!, ...(augRows.get(i) ?? [])])),
    validation: (indices) => (indices.length ? rows(indices.map((i) => plainRow.get(i)!)) : null),
  };
}
