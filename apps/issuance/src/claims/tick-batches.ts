/**
 * Calls made in one turn of the event loop, grouped by key (an admission state) and handed to
 * `run` together once the turn's I/O callbacks are done (setImmediate), at most `max` at a time.
 * Under a rush one turn reads dozens of requests, so Redis runs one script for all of them
 * instead of one each; alone, a call waits for nothing but the end of its turn.
 *
 * A mode that also held a key's calls while its last run was in flight (a group commit) was
 * tried and taken out: in runs of bench:rush on the default setup, alternated with this, it made
 * no fewer script calls a grab (docs/benchmarks.md, "the group commit of reserve scripts").
 */
export class TickBatches<Item> {
  private readonly waiting = new Map<string, Item[]>();
  private scheduled = false;

  /**
   * `lingerMs` > 0: the calls are held that long from the first of them (a timer, not the turn's
   * end), so the calls of several turns share a run: for calls whose answer may wait a little.
   */
  constructor(
    private readonly max: number,
    private readonly run: (key: string, items: Item[]) => void,
    private readonly lingerMs = 0,
  ) {}

  add(key: string, item: Item): void {
    const items = this.waiting.get(key);
    if (!items) this.waiting.set(key, [item]);
    else if (items.push(item) >= this.max) {
      this.waiting.delete(key);
      this.run(key, items);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.lingerMs > 0) setTimeout(() => this.flush(), this.lingerMs);
    else setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batches = [...this.waiting];
    this.waiting.clear();
    for (const [key, items] of batches) this.run(key, items);
  }
}
