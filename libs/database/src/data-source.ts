import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { RELEASE_MIGRATION_LOCK, TAKE_MIGRATION_LOCK } from './migration-lock.sql';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming-strategy';
import { GuardedClient } from './pg-client';

const logger = new Logger('Postgres');

/**
 * TypeORM options shared by the apps, the scripts and the tests. synchronize is never on. Its
 * pool makes GuardedClients (a broken connection never ends the process; it is dropped and
 * replaced), and an idle connection's error is logged here rather than by TypeORM's logger.
 */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5_000, Client: GuardedClient },
    poolErrorHandler: (error: unknown) => logger.warn({ err: error }, 'idle Postgres connection lost; the pool replaces it'),
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}

/** Any fixed 64-bit number shared by every app: the key of the migration advisory lock. */
const MIGRATION_LOCK_KEY = 7_203_614_002;

/**
 * Runs pending migrations while holding a session-level advisory lock, so several apps
 * starting together apply each migration exactly once; the others wait, then find nothing to do.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(TAKE_MIGRATION_LOCK, [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query(RELEASE_MIGRATION_LOCK, [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * The SQL that would bring the database in line with the entities. Empty when the
 * migrations and the entities agree; CI fails otherwise.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query);
}
