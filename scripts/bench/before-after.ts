/**
 * The same rows on two schemas, for a benchmark that compares reads before and after one
 * migration (bench:partitions, bench:expiry): the run's database is migrated up to the migration
 * and seeded (`seeding`), then copied (CREATE DATABASE … TEMPLATE) and the copy migrated forward
 * (`migrateCopy`, timed). `close` drops the copy and the run's services.
 */
import 'reflect-metadata';
import { createDataSource, dataSourceOptions, runMigrationsLocked } from '@vouchers/database';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BenchServices, log } from './bench-kit';
import { databaseUrlOf } from './template-database';

export interface BothSchemas {
  before: DataSource;
  after: DataSource;
  /** The migration forward of the copy, and any after it. */
  migrateSeconds: number;
}

export class BeforeAndAfter {
  private readonly name: string;
  private readonly copyName: string;
  private readonly admin: Client;
  private readonly open: DataSource[] = [];
  /** The run's database's options, every migration listed: each side takes the part it runs. */
  private readonly options: ReturnType<typeof dataSourceOptions>;

  private constructor(
    private readonly bench: BenchServices,
    private readonly migration: string,
  ) {
    this.name = new URL(bench.databaseUrl).pathname.slice(1);
    this.copyName = `${this.name}_after`;
    this.admin = new Client({ connectionString: databaseUrlOf(bench.databaseUrl, 'postgres') });
    this.options = dataSourceOptions(bench.databaseUrl, 4);
  }

  static async start(bench: BenchServices, migration: string): Promise<BeforeAndAfter> {
    const pair = new BeforeAndAfter(bench, migration);
    await pair.admin.connect();
    return pair;
  }

  /** The run's database migrated up to (not including) the migration, to seed; closed by migrateCopy. */
  async seeding(): Promise<DataSource> {
    const all = this.options.migrations as Array<{ name: string }>;
    const upTo = all.findIndex((m) => m.name === this.migration);
    if (upTo < 0) throw new Error(`no migration ${this.migration}`);
    const db = await this.initialize(this.withMigrations(all.slice(0, upTo)));
    await runMigrationsLocked(db);
    return db;
  }

  /** Copies the seeded database and migrates the copy forward; both open, the original with no migration of its own. */
  async migrateCopy(): Promise<BothSchemas> {
    await Promise.all(this.open.splice(0).map((db) => db.destroy()));
    log('copying the database and migrating the copy forward');
    await this.admin.query(`CREATE DATABASE ${this.copyName} TEMPLATE ${this.name}`);
    const after = await this.initialize(createDataSource(databaseUrlOf(this.bench.databaseUrl, this.copyName), 4));
    const started = Date.now();
    await runMigrationsLocked(after);
    const migrateSeconds = (Date.now() - started) / 1000;
    const before = await this.initialize(this.withMigrations([]));
    return { before, after, migrateSeconds };
  }

  async close(): Promise<void> {
    await Promise.all(this.open.splice(0).map((db) => db.destroy()));
    await this.admin.query(`DROP DATABASE IF EXISTS ${this.copyName} WITH (FORCE)`).catch(() => undefined);
    await this.admin.end();
    await this.bench.close();
  }

  /** A data source of the run's database that knows only `migrations`. */
  private withMigrations(migrations: Array<{ name: string }>): DataSource {
    return new DataSource({ ...this.options, migrations } as typeof this.options);
  }

  private async initialize(db: DataSource): Promise<DataSource> {
    await db.initialize();
    this.open.push(db);
    return db;
  }
}
