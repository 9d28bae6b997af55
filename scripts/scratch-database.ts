import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server part of DATABASE_URL (or the local default), with another database name. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function serverUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** How long the drop waits for the work's own connections to leave the scratch database. */
const LEAVE_WAIT_MS = 2_000;

/**
 * Creates a throw-away database, hands its URL to `work`, and drops it afterwards. A pool the
 * work closed may still have a backend on its way out: the drop waits for it first, since one
 * ended by the drop's FORCE logs a terminated connection (57P01) in a process that is fine.
 */
export async function withScratchDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `scratch_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: withDatabaseName(serverUrl(), 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    return await work(withDatabaseName(serverUrl(), name));
  } finally {
    const deadline = Date.now() + LEAVE_WAIT_MS;
    while (Date.now() < deadline && (await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [name])).rowCount) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
