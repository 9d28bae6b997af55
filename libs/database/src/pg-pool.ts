import { Pool } from 'pg';
import { GuardedClient } from './pg-client';

export interface PgPoolOptions {
  max: number;
  /** Session statement and lock timeouts, in ms (none when absent). */
  timeoutMs?: number;
}

/**
 * A pool of plain pg connections (the driver TypeORM runs on) for a hot path that needs what
 * TypeORM's query() does not give: named (prepared) statements, session timeouts, and a pool
 * of its own so it neither queues behind other queries nor starves them. Close it on shutdown.
 */
export function openPgPool(url: string, options: PgPoolOptions, onIdleError: (error: Error) => void): Pool {
  const pool = new Pool({
    connectionString: url,
    max: options.max,
    connectionTimeoutMillis: 5_000,
    Client: GuardedClient,
    ...(options.timeoutMs ? { statement_timeout: options.timeoutMs, lock_timeout: options.timeoutMs } : {}),
  });
  // An idle connection that breaks is dropped by the pool and replaced on a later checkout; a
  // checked-out one is heard by GuardedClient and dropped when released. Neither ends the process.
  pool.on('error', onIdleError);
  return pool;
}

/** The SQLSTATE of a failed pg query (23505 unique violation, ...), or undefined. */
export function sqlStateOf(error: unknown): string | undefined {
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  const driver = (error as { driverError?: { code?: unknown } }).driverError?.code;
  return typeof driver === 'string' ? driver : undefined;
}
