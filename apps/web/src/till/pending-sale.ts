// A sale sent whose outcome the till does not know yet (sending, or no answer), kept in this
// browser's storage until it is answered: a reload, a crash or a closed tab brings it back with
// its order number, so "retry" asks the API again with the same number (which answers the first
// result if the first got through) instead of the cashier scanning again under a new number.
// Kept per shop and for its business day: another shop signing in on this device, or the same
// shop another day, does not see it. A send still on its way when the cashier leaves the page
// and comes back is waited for, not sent a second time.
import { businessToday } from './order-number';
import type { Redemption } from './till-views';
import type { Scan } from './redeem-call';

const KEY = 'vouchers.till.pending-sale';

interface Stored {
  merchantId: string;
  scan: Scan;
  /** The business day (Asia/Shanghai) it was sent. */
  day: string;
}

export function keepPendingSale(merchantId: string, scan: Scan): void {
  localStorage.setItem(KEY, JSON.stringify({ merchantId, scan, day: businessToday() } satisfies Stored));
}

/** The shop's sale of today still waiting for an answer, or null. */
export function pendingSaleOf(merchantId: string): Scan | null {
  try {
    const raw = localStorage.getItem(KEY);
    const stored = raw ? (JSON.parse(raw) as Stored) : null;
    return stored?.merchantId === merchantId && stored.day === businessToday() ? stored.scan : null;
  } catch {
    return null;
  }
}

/** Answered (redeemed, or refused by the API for what it is), or given up by the cashier. */
export function forgetPendingSale(): void {
  localStorage.removeItem(KEY);
}

/** The send on its way, in this page's life (the checkout page may be left and opened again meanwhile). */
let inFlight: { scan: Scan; answer: Promise<Redemption> } | null = null;

/** Sends through `send`, remembered as on its way until it settles. */
export function sendTracked(scan: Scan, send: (scan: Scan) => Promise<Redemption>): Promise<Redemption> {
  const answer = send(scan);
  const mine = { scan, answer };
  inFlight = mine;
  const settle = () => {
    if (inFlight === mine) inFlight = null;
  };
  answer.then(settle, settle);
  return answer;
}

/** The send still on its way, if any: to wait for rather than send again. */
export const sendOnItsWay = (): { scan: Scan; answer: Promise<Redemption> } | null => inFlight;
