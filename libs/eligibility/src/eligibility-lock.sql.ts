/*
 * The advisory lock between a rebuild of the eligibility index (exclusive) and every change of
 * a merchant's eligibility (shared). $1 in each is the lock's key (ELIGIBILITY_LOCK).
 */

/** Held by a transaction that changes a merchant's eligibility, until it ends. $1 the lock's key. */
export const HOLD_ELIGIBILITY_WRITES = `SELECT pg_advisory_xact_lock_shared($1::bigint)`;

/** Held by a rebuild on its own connection, until UNLOCK_ELIGIBILITY_REBUILD. $1 the lock's key. */
export const LOCK_ELIGIBILITY_REBUILD = `SELECT pg_advisory_lock($1::bigint)`;

/** Ends the rebuild's hold. $1 the lock's key. */
export const UNLOCK_ELIGIBILITY_REBUILD = `SELECT pg_advisory_unlock($1::bigint)`;
