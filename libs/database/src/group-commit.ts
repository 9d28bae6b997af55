export interface GroupCommitOptions<Item> {
  /** How long the first item of a batch waits for others when a writer is free. */
  flushMs: number;
  batchMax: number;
  /**
   * The most batches being written at once (the writer's connections). While all are busy,
   * items wait and join the next batch, which goes as soon as one finishes: under load the
   * batches grow instead of queueing one behind another. No limit when absent.
   */
  maxInFlight?: number;
  /** Writes a batch (one statement, one commit) and answers each item; must not throw. */
  run: (batch: Item[]) => Promise<void>;
}

/**
 * The queue of a group commit: items from many concurrent requests are handed to `run` in
 * batches, at most `batchMax` at a time, as soon as that many wait or `flushMs` after the first
 * of a batch arrived, and never more than `maxInFlight` batches at once. Used by the grab's
 * claim writer and the till's redemption writer.
 */
export class GroupCommit<Item> {
  private queue: Item[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxInFlight: number;

  constructor(private readonly options: GroupCommitOptions<Item>) {
    this.maxInFlight = options.maxInFlight ?? Infinity;
  }

  add(item: Item): void {
    this.queue.push(item);
    if (this.inFlight.size >= this.maxInFlight) return; // the next finished batch takes it
    if (this.queue.length >= this.options.batchMax) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.flushMs);
  }

  /** Sends what waits and resolves once every batch in flight is done: call on shutdown. */
  async drain(): Promise<void> {
    do {
      this.flush();
      await Promise.allSettled([...this.inFlight]);
    } while (this.queue.length > 0 || this.inFlight.size > 0);
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.queue.length > 0 && this.inFlight.size < this.maxInFlight) {
      const batch = this.queue.splice(0, this.options.batchMax);
      const work: Promise<void> = this.options.run(batch).finally(() => {
        this.inFlight.delete(work);
        // What waited while every writer was busy (no timer runs for it) has waited long enough;
        // what arrived with a writer free goes when its timer fires, as without a limit.
        if (this.queue.length > 0 && !this.timer) this.flush();
      });
      this.inFlight.add(work);
    }
  }
}

/** A batch's items by a key (a campaign, a round): each group is what one statement writes or reads. */
export function groupsOf<Item>(batch: Item[], keyOf: (item: Item) => string): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of batch) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
