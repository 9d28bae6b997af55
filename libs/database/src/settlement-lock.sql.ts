/**
 * The advisory locks of settlement-lock.ts, on (first key, days since 2000-01-01 of the business day).
 *
 * $1 first key (SETTLEMENT_DAY_LOCK), $2 business day (YYYY-MM-DD).
 */
export const HOLD_DAY_EXCLUSIVE = `SELECT pg_advisory_xact_lock($1::int, $2::date - DATE '2000-01-01')`;

/** The same lock, shared. $1 first key, $2 business day. */
export const HOLD_DAY_SHARED = `SELECT pg_advisory_xact_lock_shared($1::int, $2::date - DATE '2000-01-01')`;
