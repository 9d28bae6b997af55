/**
 * The session-level advisory lock runMigrationsLocked holds while it applies migrations.
 *
 * $1 the lock's key (MIGRATION_LOCK_KEY).
 */
export const TAKE_MIGRATION_LOCK = `SELECT pg_advisory_lock($1::bigint)`;

/** $1 the lock's key. */
export const RELEASE_MIGRATION_LOCK = `SELECT pg_advisory_unlock($1::bigint)`;
