/**
 * The queue of a group commit: items from many concurrent requests are handed to `run` in
 * batches, at most `batchMax` at a time, as soon as that many wait or `flushMs` after the first
 * of a batch arrived. `run` writes a batch (one statement, one commit) and answers each item;
 * it must not throw. Used by the grab's claim writer and the till's redemption writer.
 */
export class GroupCommit<Item> {
  private queue: Item[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: { flushMs: number; batchMax: number; run: (batch: Item[]) => Promise<void> }) {}

  add(item: Item): void {
    this.queue.push(item);
    if (this.queue.length >= this.options.batchMax) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.flushMs);
  }

  /** Sends what waits and resolves once every batch in flight is done: call on shutdown. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.inFlight]);
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.batchMax);
      const work = this.options.run(batch).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    }
  }
}
