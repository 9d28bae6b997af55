/**
 * The two transactions of a report (BuildReconciliation.inSnapshot), set up for the rest of
 * the transaction only: read only, and the report's memory for each sort, hash join and
 * aggregate.
 *
 * $1 work_mem (e.g. '192MB').
 */
export const READ_ONLY_WITH_WORK_MEM = `SELECT set_config('transaction_read_only', 'on', true), set_config('work_mem', $1::text, true)`;

/** The main transaction's snapshot, for the second one to import. No parameters. Returns "snapshot". */
export const EXPORT_SNAPSHOT = `SELECT pg_export_snapshot() AS snapshot`;
