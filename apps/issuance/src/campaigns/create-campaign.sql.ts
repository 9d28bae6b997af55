/**
 * Serialises the program-wide budget check until the transaction ends: two campaigns created
 * at once cannot both squeeze under the annual cap.
 *
 * $1 the advisory lock's key (PROGRAM_BUDGET_LOCK).
 */
export const LOCK_PROGRAM_BUDGET = `SELECT pg_advisory_xact_lock($1::bigint)`;
