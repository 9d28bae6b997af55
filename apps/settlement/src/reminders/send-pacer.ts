/** The clock and the wait a pacer uses: the real ones, or a test's. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Spaces sends at most `perSecond` a second: each wait() returns no sooner than 1/perSecond of a
 * second after the one before it returned. One pacer a run, in one worker: the SMS gateway sees
 * at most perSecond times the workers sending.
 */
export class SendPacer {
  private readonly gapMs: number;
  private next = -Infinity;

  constructor(perSecond: number, private readonly clock: PacerClock = realClock) {
    if (!(perSecond > 0)) throw new Error(`sends per second must be above 0, got ${perSecond}`);
    this.gapMs = 1000 / perSecond;
  }

  async wait(): Promise<void> {
    const now = this.clock.now();
    if (now < this.next) await this.clock.sleep(this.next - now);
    this.next = Math.max(now, this.next) + this.gapMs;
  }
}
