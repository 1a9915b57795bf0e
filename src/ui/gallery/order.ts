/** The gallery's sort orders: by date added, or by the model's confidence in each photo's own class. */
export type GalleryOrder = 'newest' | 'oldest' | 'confidence';

/**
 * Orders photo ids given oldest first. `confidence` puts the lowest first (likely mislabels) and photos the
 * model has no confidence for (no embedding yet) last, each group keeping the order photos were added in.
 */
export function orderIds(
  oldestFirst: readonly string[],
  order: GalleryOrder,
  confidence: Readonly<Record<string, number>> = {},
): string[] {
  if (order === 'oldest') return [...oldestFirst];
  if (order === 'newest') return [...oldestFirst].reverse();
  const known = oldestFirst.filter((id) => confidence[id] !== undefined);
  const unknown = oldestFirst.filter((id) => confidence[id] === undefined);
  // Array.prototype.sort is stable, so equal confidences keep the order they were added in.
  return [...known.sort((a, b) => confidence[a]! - confidence[b]!), ...unknown];
}
