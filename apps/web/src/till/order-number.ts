// The till's own order numbers (merchantOrderNo, refund numbers): one per sale, kept for every
// retry of that sale so the API's idempotency answers a retried scan with the first result.
// A-Z a-z 0-9 _ . : - and at most 64 characters, as the API asks.
function stamp(now: Date): string {
  const shanghai = new Date(now.getTime() + 8 * 3600_000).toISOString();
  return `${shanghai.slice(0, 10).replace(/-/g, '')}-${shanghai.slice(11, 19).replace(/:/g, '')}`;
}

function randomPart(): string {
  const bytes = new Uint8Array(4);
  crypto.getRandomValues(bytes);
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** A new sale's order number, e.g. POS-20261204-163502-9F3A01BC. */
export const newOrderNumber = (now: Date = new Date()): string => `POS-${stamp(now)}-${randomPart()}`;

/** A new refund's number, e.g. RF-20261204-163502-9F3A01BC. */
export const newRefundNumber = (now: Date = new Date()): string => `RF-${stamp(now)}-${randomPart()}`;

/** Today as the books count it: the business day in Asia/Shanghai, YYYY-MM-DD. */
export const businessToday = (now: Date = new Date()): string => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The business day before `day` (YYYY-MM-DD). */
export const dayBefore = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
