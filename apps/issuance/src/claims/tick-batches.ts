/**
 * Calls made in one turn of the event loop, grouped by key (an admission state) and handed to
 * `run` together once the turn's I/O callbacks are done (setImmediate), at most `max` at a time.
 * Under a rush one turn reads dozens of requests, so Redis runs one script for all of them
 * instead of one each; alone, a call waits for nothing but the end of its turn.
 *
 * With `oneRunAtATime`, a key whose run is still in flight (its promise unsettled) holds the
 * calls that come meanwhile and sends them together when it settles: a group commit. A round
 * split into K stock buckets over N processes splits every turn's calls K × N ways, and small
 * scripts cost Redis more per call than the calls themselves; holding them makes each script
 * carry what arrived during one round trip, however the calls are split. A full batch (`max`)
 * goes at once all the same.
 */
export class TickBatches<Item> {
  private readonly waiting = new Map<string, Item[]>();
  /** Runs in flight per key (oneRunAtATime only). */
  private readonly inFlight = new Map<string, number>();
  private scheduled = false;

  constructor(
    private readonly max: number,
    private readonly run: (key: string, items: Item[]) => void | Promise<void>,
    private readonly oneRunAtATime = false,
  ) {}

  add(key: string, item: Item): void {
    const items = this.waiting.get(key);
    if (!items) this.waiting.set(key, [item]);
    else if (items.push(item) >= this.max) {
      this.waiting.delete(key);
      this.start(key, items);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batches = [...this.waiting].filter(([key]) => !this.inFlight.has(key));
    for (const [key, items] of batches) {
      this.waiting.delete(key);
      this.start(key, items);
    }
  }

  private start(key: string, items: Item[]): void {
    const done = this.run(key, items);
    if (!this.oneRunAtATime || !done) return;
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    const settled = () => {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) return void this.inFlight.set(key, left);
      this.inFlight.delete(key);
      if (this.waiting.has(key)) this.schedule();
    };
    done.then(settled, settled);
  }
}
