// A sale sent whose outcome the till does not know yet (sending, or no answer), kept in this
// browser's storage until it is answered: a reload, a crash or a closed tab brings it back with
// its order number, so "retry" asks the API again with the same number (which answers the first
// result if the first got through) instead of the cashier scanning again under a new number.
// Kept per shop and for a day: another shop signing in on this device does not see it, nor the
// same shop a day later (a retry after midnight is still safe: order numbers are not per day).
// A send still on its way when the cashier leaves the page and comes back is waited for, not
// sent a second time; one answered while the cashier was on another page is shown when they
// come back (for a few minutes), so the sale's outcome is never only in the Today list.
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

interface Tracked {
  merchantId: string;
  scan: Scan;
  answer: Promise<Redemption>;
}

/** How long an answer no page showed is still shown when the cashier comes back to the checkout. */
const UNSHOWN_MS = 10 * 60_000;

/** The send on its way, in this page's life (the checkout page may be left and opened again meanwhile). */
let inFlight: Tracked | null = null;
/** The last send answered, until a checkout page has shown its answer. */
let unshown: (Tracked & { settledAt: number }) | null = null;

/** Sends through `send` for the shop, remembered as on its way until it settles, then as unshown until a page shows it. */
export function sendTracked(merchantId: string, scan: Scan, send: (scan: Scan) => Promise<Redemption>): Promise<Redemption> {
  const answer = send(scan);
  const mine = { merchantId, scan, answer };
  inFlight = mine;
  // Runs before the page's own wait on the answer goes on (registered first), so a page still open marks it shown after.
  const settle = () => {
    if (inFlight === mine) inFlight = null;
    unshown = { ...mine, settledAt: Date.now() };
  };
  answer.then(settle, settle);
  return answer;
}

/** A checkout page open when the answer came has shown it. */
export function answerShown(answer: Promise<Redemption>): void {
  if (unshown?.answer === answer) unshown = null;
}

/**
 * The shop's send still on its way, to wait for rather than send again; or, failing that, one
 * answered in the last minutes while no checkout page was open, to show.
 */
export function sendToFollow(merchantId: string): { scan: Scan; answer: Promise<Redemption> } | null {
  if (inFlight?.merchantId === merchantId) return inFlight;
  if (unshown?.merchantId === merchantId && Date.now() - unshown.settledAt < UNSHOWN_MS) return unshown;
  return null;
}
