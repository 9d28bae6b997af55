/**
 * A sample of a rush's own schedule that keeps its rates: every `every`-th slice of `sliceMs`
 * (the first, the `every`-th, ...), laid back to back. What a server spends a request depends on
 * how many requests each turn of its event loop finds, so a plain server measured against the
 * grab must see the same rates, not the same count at its fastest.
 */
export function sampledSchedule(dueMs: Float64Array, sliceMs: number, every: number): Float64Array {
  const kept: number[] = [];
  for (const due of dueMs) {
    const slice = Math.floor(due / sliceMs);
    if (slice % every !== 0) continue;
    kept.push((slice / every) * sliceMs + (due - slice * sliceMs));
  }
  return Float64Array.from(kept);
}
