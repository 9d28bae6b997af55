// A sale sent whose outcome the till does not know yet (sending, or no answer), kept in this
// browser's storage until it is answered: a reload, a crash or a closed tab brings it back with
// its order number, so "retry" asks the API again with the same number (which answers the first
// result if the first got through) instead of the cashier scanning again under a new number.
// Kept per shop and for a day: another shop signing in on this device does not see it, nor the
// same shop a day later (a retry after midnight is still safe: order numbers are not per day).
// A send still on its way when the cashier leaves the page and comes back is waited for, not
// sent a second time.
import type { Redemption } from './till-views';
import type { Scan } from './redeem-call';

const KEY = 'vouchers.till.pending-sale';

/** How long a kept sale is offered back. */
const KEEP_MS = 24 * 3600_000;

interface Stored {
  merchantId: string;
  scan: Scan;
  /** When it was sent (epoch ms). */
  sentAt: number;
}

export function keepPendingSale(merchantId: string, scan: Scan): void {
  localStorage.setItem(KEY, JSON.stringify({ merchantId, scan, sentAt: Date.now() } satisfies Stored));
}

/** The shop's sale of the last day still waiting for an answer, or null. */
export function pendingSaleOf(merchantId: string): Scan | null {
  try {
    const raw = localStorage.getItem(KEY);
    const stored = raw ? (JSON.parse(raw) as Stored) : null;
    return stored?.merchantId === merchantId && Date.now() - stored.sentAt < KEEP_MS ? stored.scan : null;
  } catch {
    return null;
  }
}

/** Answered (redeemed, or refused by the API for what it is), or given up by the cashier. */
export function forgetPendingSale(): void {
  localStorage.removeItem(KEY);
}

/** The send on its way, in this page's life (the checkout page may be left and opened again meanwhile). */
let inFlight: { merchantId: string; scan: Scan; answer: Promise<Redemption> } | null = null;

/** Sends through `send` for the shop, remembered as on its way until it settles. */
export function sendTracked(merchantId: string, scan: Scan, send: (scan: Scan) => Promise<Redemption>): Promise<Redemption> {
  const answer = send(scan);
  const mine = { merchantId, scan, answer };
  inFlight = mine;
  const settle = () => {
    if (inFlight === mine) inFlight = null;
  };
  answer.then(settle, settle);
  return answer;
}

/** The shop's send still on its way, if any: to wait for rather than send again. */
export const sendOnItsWay = (merchantId: string): { scan: Scan; answer: Promise<Redemption> } | null =>
  inFlight?.merchantId === merchantId ? inFlight : null;
