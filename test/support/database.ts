import { createDataSource, runMigrationsLocked } from '@vouchers/database';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** A direct connection to this run's database (migrated), for arranging rows and counting them. */
export async function openTestDatabase(url = process.env.DATABASE_URL as string): Promise<DataSource> {
  const dataSource = createDataSource(url, 4);
  await dataSource.initialize();
  await runMigrationsLocked(dataSource);
  return dataSource;
}

/**
 * Resolves once `statements` statements of this database wait on a lock that `holder` (a pg client in a
 * transaction, or its backend's pid) holds: a test that holds a lock to make the app wait knows the app waits.
 * Gives up after `timeoutMs`: 5 s for an app already running, more where a process must start first.
 */
export async function waitUntilBlockedBy(db: DataSource | Client, holder: Client | number, statements = 1, timeoutMs = 5_000): Promise<void> {
  const pid = typeof holder === 'number' ? holder : (holder as Client & { processID: number }).processID;
  const sql = `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND $1 = ANY(pg_blocking_pids(pid))`;
  for (let i = 0; i < timeoutMs / 25; i++) {
    // A pg client answers { rows }, a DataSource the rows themselves.
    const [{ waiting }]: Array<{ waiting: number }> = db instanceof Client ? (await db.query(sql, [pid])).rows : await db.query(sql, [pid]);
    if (waiting >= statements) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`fewer than ${statements} statement(s) wait on backend ${pid}`);
}

/**
 * Ends the Postgres sessions that wait on `holder`, as a crash of their process's machine or a
 * Postgres restart would: the ended sessions' answers (true for each ended).
 */
export async function endSessionsBlockedBy(db: DataSource, holder: Client): Promise<boolean[]> {
  const pid = (holder as Client & { processID: number }).processID;
  const rows: Array<{ ended: boolean }> = await db.query('SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]);
  return rows.map((row) => row.ended);
}
