// A sale sent whose outcome the till does not know yet (sending, or no answer), kept in this
// browser's storage until it is answered: a reload, a crash or a closed tab brings it back with
// its order number, so "retry" asks the API again with the same number (which answers the first
// result if the first got through) instead of the cashier scanning again under a new number.
// Kept per shop: another shop signing in on this device does not see it.
import type { Scan } from './redeem-call';

const KEY = 'vouchers.till.pending-sale';

interface Stored {
  merchantId: string;
  scan: Scan;
}

export function keepPendingSale(merchantId: string, scan: Scan): void {
  localStorage.setItem(KEY, JSON.stringify({ merchantId, scan } satisfies Stored));
}

/** The shop's sale still waiting for an answer, or null. */
export function pendingSaleOf(merchantId: string): Scan | null {
  try {
    const raw = localStorage.getItem(KEY);
    const stored = raw ? (JSON.parse(raw) as Stored) : null;
    return stored?.merchantId === merchantId ? stored.scan : null;
  } catch {
    return null;
  }
}

/** Answered (redeemed or refused), or given up by the cashier. */
export function forgetPendingSale(): void {
  localStorage.removeItem(KEY);
}
