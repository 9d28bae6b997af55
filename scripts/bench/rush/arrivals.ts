/**
 * When each grab of a rush arrives: the shape of a real opening (DESIGN §11: three million
 * people in the round's first minute), in the opening's own seconds, then stretched in time
 * so that its busiest second asks `peakLoad` times what this machine serves.
 *
 * The opening: a burst in the first second (`burstShare` of the residents press at the very
 * start), then arrivals decaying as e^(-t/decaySeconds) over `seconds`. Each resident grabs
 * once or several times (`grabsShares`: the shares grabbing once, twice, three times...), a
 * repeat `repeatGapSeconds` after their previous grab, whatever its answer: a person pressing
 * again, or a phone retrying. The draws are seeded, so a size gives the same crowd every run.
 */
export interface OpeningShape {
  seconds: number;
  decaySeconds: number;
  burstShare: number;
  grabsShares: number[];
  repeatGapSeconds: [number, number];
}

export const REAL_OPENING: OpeningShape = {
  seconds: 60,
  decaySeconds: 30,
  burstShare: 0.03,
  grabsShares: [0.7, 0.2, 0.1],
  repeatGapSeconds: [1, 5],
};

export interface Arrivals {
  /** Opening seconds of each grab, ascending. */
  at: Float64Array;
  /** The resident (index into the crowd) of each grab. */
  resident: Uint32Array;
  /** Grabs in the busiest one-second window of the opening (a sliding window, 0.1 s steps). */
  peakPerSecond: number;
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function openingArrivals(residents: number, shape: OpeningShape = REAL_OPENING, seed = 21): Arrivals {
  const random = seededRandom(seed);
  const tail = 1 - Math.exp(-shape.seconds / shape.decaySeconds);
  const firstGrab = () =>
    random() < shape.burstShare ? random() : -shape.decaySeconds * Math.log(1 - random() * tail);
  const grabsOf = () => {
    let u = random();
    for (let n = 0; n < shape.grabsShares.length - 1; n++) {
      if (u < shape.grabsShares[n]) return n + 1;
      u -= shape.grabsShares[n];
    }
    return shape.grabsShares.length;
  };
  const [gapMin, gapMax] = shape.repeatGapSeconds;
  const times: number[] = [];
  const who: number[] = [];
  for (let r = 0; r < residents; r++) {
    let t = firstGrab();
    for (let n = grabsOf(); n > 0; n--) {
      times.push(t);
      who.push(r);
      t += gapMin + random() * (gapMax - gapMin);
    }
  }
  const order = Uint32Array.from(times.keys()).sort((a, b) => times[a] - times[b]);
  const at = new Float64Array(order.length);
  const resident = new Uint32Array(order.length);
  order.forEach((i, k) => {
    at[k] = times[i];
    resident[k] = who[i];
  });
  return { at, resident, peakPerSecond: busiestSecond(at) };
}

/** Grabs in the busiest one-second window, sliding in steps of 0.1 s. */
function busiestSecond(at: Float64Array): number {
  if (at.length === 0) return 0;
  const slots = new Uint32Array(Math.floor(at[at.length - 1] * 10) + 1);
  for (const t of at) slots[Math.floor(t * 10)] += 1;
  let window = 0;
  let best = 0;
  for (let i = 0; i < slots.length; i++) {
    window += slots[i] - (i >= 10 ? slots[i - 10] : 0);
    best = Math.max(best, window);
  }
  return best;
}

/**
 * Machine seconds per opening second: the busiest second of the opening then asks `peakLoad`
 * times `servedPerSec` (what the machine answered in the warm-up); the rest of the opening,
 * stretched alike, asks less and the queue of the first seconds drains.
 */
export function stretchFor(arrivals: Arrivals, servedPerSec: number, peakLoad: number): number {
  return arrivals.peakPerSecond / (peakLoad * servedPerSec);
}
