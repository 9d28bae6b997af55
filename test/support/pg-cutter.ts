import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Cuts an app's Postgres connections as an operator's pg_terminate_backend, a failover or a
 * restart would (each backend ends with 57P01). The app is booted with databaseUrl(), whose
 * application_name no other connection of the run carries (test files share the run's
 * database), so only its backends are cut: never the test's own, never another file's. A pool
 * that names its sessions (the claim writer's) carries it first: `<cutter's>/<pool's>`.
 */
export class PgCutter {
  private readonly name = `cut${randomBytes(5).toString('hex')}`;
  private readonly admin = new Client({ connectionString: process.env.DATABASE_URL, application_name: 'pg-cutter' });
  /** Of each cut's backends, how many were a named pool's (`<cutter's>/<pool's>`) and how many TypeORM's (the name alone). */
  readonly kinds: Array<{ pooled: number; plain: number }> = [];

  /** How many backends each cut ended. */
  get rounds(): number[] {
    return this.kinds.map((cut) => cut.pooled + cut.plain);
  }

  /** This run's database URL with the cutter's application_name: the app's DATABASE_URL. */
  databaseUrl(): string {
    const url = new URL(process.env.DATABASE_URL as string);
    url.searchParams.set('application_name', this.name);
    return url.toString();
  }

  async open(): Promise<this> {
    await this.admin.connect();
    return this;
  }

  async close(): Promise<void> {
    await this.admin.end();
  }

  /** Terminates every backend of the app; returns how many. */
  async cutOnce(): Promise<number> {
    // The app's backends are picked first (MATERIALIZED): in one WHERE, the planner may call pg_terminate_backend before the name is checked.
    const { rows } = await this.admin.query(
      `WITH app AS MATERIALIZED (SELECT pid, application_name <> $1 AS pooled FROM pg_stat_activity
                                 WHERE datname = current_database() AND (application_name = $1 OR application_name LIKE $1 || '/%'))
       SELECT pid, pooled FROM app WHERE pg_terminate_backend(pid)`,
      [this.name],
    );
    const pooled = rows.filter((row: { pooled: boolean }) => row.pooled).length;
    this.kinds.push({ pooled, plain: rows.length - pooled });
    return rows.length;
  }

  /** `rounds` cuts, `everyMs` apart (the fault run of issue 15: 15 rounds, 200 ms apart). */
  async cutInRounds(rounds: number, everyMs: number): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await this.cutOnce();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
