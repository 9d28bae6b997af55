import { Pool } from 'pg';
import { GuardedClient } from './pg-client';

export interface PgPoolOptions {
  max: number;
  /** The longest a query waits for a free connection (or a new one to open) before it fails, in ms. */
  connectionWaitMs: number;
  /** Session statement and lock timeouts, in ms (none when absent). */
  timeoutMs?: number;
  /**
   * The sessions' application_name, as pg_stat_activity shows it. It follows the URL's own, if
   * the URL names one (`<url's>/<this>`): in pg a URL's parameters win over the pool's options.
   */
  applicationName?: string;
}

/** Postgres keeps the first 63 bytes of an application_name: the tail, which names the pool, is kept. */
function withApplicationName(url: string, name: string | undefined): string {
  if (!name) return url;
  const parsed = new URL(url);
  const own = parsed.searchParams.get('application_name');
  parsed.searchParams.set('application_name', (own ? `${own}/${name}` : name).slice(-63));
  return parsed.toString();
}

/**
 * A pool of plain pg connections (the driver TypeORM runs on) for a hot path that needs what
 * TypeORM's query() does not give: named (prepared) statements, session timeouts, and a pool
 * of its own so it neither queues behind other queries nor starves them. Close it on shutdown.
 */
export function openPgPool(url: string, options: PgPoolOptions, onIdleError: (error: Error) => void): Pool {
  const pool = new Pool({
    connectionString: withApplicationName(url, options.applicationName),
    max: options.max,
    connectionTimeoutMillis: options.connectionWaitMs,
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
