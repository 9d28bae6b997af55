import { userInfo } from 'node:os';

/** Postgres's SQLSTATE for a connection to a database that does not exist (invalid_catalog_name). */
const INVALID_CATALOG_NAME = '3D000';

/** Whether connecting failed because the URL's database does not exist on the server. */
export function isMissingDatabase(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === INVALID_CATALOG_NAME;
}

/**
 * The one line an app stops with when DATABASE_URL names a database that does not exist: which
 * database on which server, and the command that creates it for the URL's user. The apps never
 * create it themselves: in production a missing database is far more often a wrong URL than a
 * new install, and an app that created it would run migrations into an empty database and serve
 * it as if it were the real one. `npm start` (a developer's machine) does create it.
 */
export function missingDatabaseMessage(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  // pg's own default when the URL names no user.
  const user = decodeURIComponent(url.username) || process.env.PGUSER || userInfo().username;
  const host = url.hostname || 'localhost';
  const port = url.port || '5432';
  return (
    `database "${database}" does not exist on ${host}:${port}; the apps do not create databases. ` +
    `Create it (createdb -h ${host} -p ${port} -U postgres -O ${user} ${database}, or in psql: ` +
    `CREATE DATABASE "${database}" OWNER "${user}";) or correct DATABASE_URL`
  );
}
