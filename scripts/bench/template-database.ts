/**
 * Template databases for benchmarks whose seed takes minutes: seeded once into a database named
 * for what it holds (the schema's last migration and the seed's sizes), which later runs copy
 * with CREATE DATABASE … TEMPLATE (a file copy, far faster than seeding again). A template is
 * built under a name of its own run and renamed when complete, so a run that fails half-way
 * leaves no half-seeded template for the next one to copy.
 */
import { Client } from 'pg';
import { log, runId } from './bench-kit';

export function databaseUrlOf(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl, application_name: 'bench-template' });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const exists = (client: Client, name: string) =>
  client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]).then((result) => (result.rowCount ?? 0) > 0);

/** The migrations a template records that `known` (this code's list) does not hold: renamed or dropped since it was seeded. */
async function unknownMigrations(serverUrl: string, name: string, known: readonly string[]): Promise<string[]> {
  const applied = await withAdmin(databaseUrlOf(serverUrl, name), (client) => client.query<{ name: string }>('SELECT name FROM schema_migrations'));
  return applied.rows.map((row) => row.name).filter((migration) => !known.includes(migration));
}

/**
 * The template `name`, built by `seed` (given the new database's URL, which it must leave with
 * no open connection) when there is none yet. Answers the seconds the seed took, or null when
 * an earlier run's template was there. With `knownMigrations`, a template recording a migration
 * this code no longer has (renamed or dropped since) is dropped and seeded again: its copy could
 * not be migrated forward.
 */
export async function ensureTemplate(
  serverUrl: string,
  name: string,
  seed: (databaseUrl: string) => Promise<void>,
  knownMigrations?: readonly string[],
): Promise<number | null> {
  if (await withAdmin(serverUrl, (client) => exists(client, name))) {
    const stale = knownMigrations ? await unknownMigrations(serverUrl, name, knownMigrations) : [];
    if (stale.length === 0) {
      log(`template ${name} is there: copying it, not seeding`);
      return null;
    }
    log(`template ${name} records migrations this code does not have (${stale.join(', ')}): seeding it again`);
    await withAdmin(serverUrl, (client) => client.query(`DROP DATABASE ${client.escapeIdentifier(name)} WITH (FORCE)`));
  }
  const building = `${name.slice(0, 40)}_build_${runId()}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(building)}`));
  const started = performance.now();
  try {
    await seed(databaseUrlOf(serverUrl, building));
    const seconds = (performance.now() - started) / 1000;
    await withAdmin(serverUrl, (client) => client.query(`ALTER DATABASE ${client.escapeIdentifier(building)} RENAME TO ${client.escapeIdentifier(name)}`));
    return seconds;
  } finally {
    await withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(building)} WITH (FORCE)`));
  }
}

/** A new database `name`, a copy of `template`. */
export async function copyTemplate(serverUrl: string, template: string, name: string): Promise<string> {
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`));
  return databaseUrlOf(serverUrl, name);
}
