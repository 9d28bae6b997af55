/**
 * The answers of one rush, as they come back, and the figures drawn from them: how fast the
 * machine answered at the height of the rush, when the stock ran out, the p99, and the
 * sold-out answers given while vouchers remained (falseSoldOut).
 */
import { quantileMs } from '../bench-kit';

/** The field `"name":"value"` of a JSON answer, found without parsing the whole body. */
function fieldOf(body: string, name: string): string {
  const marker = `"${name}":"`;
  const at = body.indexOf(marker);
  if (at < 0) return String((JSON.parse(body) as Record<string, unknown>)[name]);
  const start = at + marker.length;
  return body.slice(start, body.indexOf('"', start));
}

export class RushAnswers {
  created = 0;
  same = 0;
  soldOut = 0;
  alreadyClaimed = 0;
  readonly other = new Map<string, number>();
  /** The 503s (try again) by their message: one code names several waits (a bucket's stock on the move, Redis not answering). */
  readonly waits = new Map<string, number>();
  /** Each voucher acknowledged, with when its first success answer came (ms after the start). */
  readonly acked = new Map<string, number>();
  /** When each sold-out answer came, ascending. */
  private readonly soldOutAt: number[] = [];
  private readonly latencies: Float64Array;
  private readonly answeredAt: Float64Array;
  private count = 0;

  constructor(requests: number) {
    this.latencies = new Float64Array(requests);
    this.answeredAt = new Float64Array(requests);
  }

  record(status: number, body: string, sentMs: number, answeredMs: number): void {
    this.latencies[this.count] = answeredMs - sentMs;
    this.answeredAt[this.count++] = answeredMs;
    if (status === 201 || status === 200) {
      if (status === 201) this.created += 1;
      else this.same += 1;
      const id = fieldOf(body, 'id');
      if (!this.acked.has(id)) this.acked.set(id, answeredMs);
      return;
    }
    // A 409 by its code; any other status by its number, and a 503 (try again) with its code too: which wait it was.
    const code = status === 409 ? fieldOf(body, 'code') : status === 503 && body.includes('"code":"') ? `HTTP_503 ${fieldOf(body, 'code')}` : `HTTP_${status}`;
    if (code === 'SOLD_OUT') {
      this.soldOut += 1;
      this.soldOutAt.push(answeredMs);
    } else if (code === 'ALREADY_CLAIMED') this.alreadyClaimed += 1;
    else this.other.set(code, (this.other.get(code) ?? 0) + 1);
    if (status === 503 && body.includes('"message":"')) {
      const message = fieldOf(body, 'message');
      this.waits.set(message, (this.waits.get(message) ?? 0) + 1);
    }
  }

  /** Grabs the platform answered with a decision: a voucher (201, 200) or a refusal that is final (409 sold out, already claimed). */
  get decided(): number {
    return this.created + this.same + this.soldOut + this.alreadyClaimed;
  }

  /** Success answers (201 and 200). */
  get succeeded(): number {
    return this.created + this.same;
  }

  p99Ms(): number {
    return quantileMs(Array.from(this.latencies.subarray(0, this.count)), 0.99);
  }

  /**
   * Answers a second over the busiest `seconds` of the rush (0.1 s steps), and when that window
   * began (s after the start): the arrivals of its first seconds ask more than the machine
   * serves (peakLoad), so this is what it served.
   */
  busiest(seconds: number): { perSecond: number; fromSeconds: number } {
    const times = this.answeredAt.subarray(0, this.count);
    const last = times.reduce((a, b) => Math.max(a, b), 0);
    const slots = new Uint32Array(Math.floor(last / 100) + 1);
    for (const t of times) slots[Math.floor(t / 100)] += 1;
    const width = Math.min(slots.length, seconds * 10);
    let window = 0;
    let best = 0;
    let bestEnd = width - 1;
    for (let i = 0; i < slots.length; i++) {
      window += slots[i] - (i >= width ? slots[i - width] : 0);
      if (window > best) [best, bestEnd] = [window, i];
    }
    return { perSecond: best / (width / 10), fromSeconds: (bestEnd - width + 1) / 10 };
  }

  /** Seconds from the start to the answer that acknowledged the last voucher of `stock`; null when some stock was never acknowledged. */
  soldOutSeconds(stock: number): number | null {
    if (this.acked.size < stock) return null;
    const times = [...this.acked.values()].sort((a, b) => a - b);
    return times[stock - 1] / 1000;
  }

  /**
   * Sold-out answers given while more than `buckets` vouchers remained, leaving out those in
   * the second after the first one (the grace the issue allows after the first bucket runs
   * dry). What remained at an answer is the stock less the vouchers acknowledged before it:
   * reservations still on their way to Postgres count as remaining, for the few milliseconds
   * a group commit takes, which the grace covers.
   */
  falseSoldOut(stock: number, buckets: number, graceMs = 1_000): number {
    if (this.soldOutAt.length === 0) return 0;
    const ackedTimes = [...this.acked.values()].sort((a, b) => a - b);
    const graceEnds = this.soldOutAt[0] + graceMs;
    let acked = 0;
    let wrong = 0;
    for (const at of this.soldOutAt) {
      while (acked < ackedTimes.length && ackedTimes[acked] <= at) acked += 1;
      if (at > graceEnds && stock - acked > buckets) wrong += 1;
    }
    return wrong;
  }

  describe(): string {
    return (
      `${this.count} answers: ${this.created} created, ${this.same} same voucher again, ${this.soldOut} sold out, ` +
      `${this.alreadyClaimed} already claimed, other ${JSON.stringify(Object.fromEntries(this.other))}` +
      (this.waits.size > 0 ? `, the 503s by message ${JSON.stringify(Object.fromEntries(this.waits))}` : '')
    );
  }
}
