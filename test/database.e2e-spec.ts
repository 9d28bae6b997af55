import { newPublicId } from '@vouchers/common';
import { createDataSource, pendingSchemaChanges, runMigrationsLocked } from '@vouchers/database';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { openTestDatabase } from './support/database';

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

describe('migrations', () => {
  const server = process.env.TEST_SERVER_URL as string;
  const name = `vt_mig_${randomBytes(4).toString('hex')}`;
  let admin: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: withDatabase(server, 'postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('apply once when several apps start together, and leave nothing to generate', async () => {
    const sources: DataSource[] = Array.from({ length: 4 }, () => createDataSource(withDatabase(server, name), 2));
    await Promise.all(sources.map((source) => source.initialize()));
    try {
      const applied = await Promise.all(sources.map((source) => runMigrationsLocked(source)));
      // Exactly one of the four applied each migration; the others found nothing to do.
      expect(applied.flat().sort()).toEqual(applied.find((list) => list.length > 0)?.sort());
      const rows: Array<{ name: string }> = await sources[0].query('SELECT name FROM schema_migrations');
      expect(rows.length).toBe(new Set(rows.map((row) => row.name)).size);
      expect(await pendingSchemaChanges(sources[0])).toEqual([]);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
    }
  });
});

describe('the audit log', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openTestDatabase();
    await db.query(
      `INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id) VALUES ('t', 'auditor', 'test', 'x', 'y')`,
    );
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('refuses updates and deletes', async () => {
    await expect(db.query(`UPDATE audit_log SET action = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'test'`);
    expect(count).toBe(1);
  });
});

describe('the ledger', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db.destroy();
  });

  it('refuses updates, deletes and truncation: a posting is reversed by a new one', async () => {
    const [posting, ref] = [newPublicId(), newPublicId()];
    await db.query(
      `INSERT INTO ledger_entries (posting_id, account, debit_fen, credit_fen, ref_type, ref_id)
       VALUES ($1, 'budget:city', 700, 0, 'test', $2), ($1, 'payable:merchant:x', 0, 700, 'test', $2)`,
      [posting, ref],
    );
    await expect(db.query('UPDATE ledger_entries SET debit_fen = 1 WHERE posting_id = $1', [posting])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM ledger_entries WHERE posting_id = $1', [posting])).rejects.toThrow(/append-only/);
    await expect(db.query('TRUNCATE ledger_entries')).rejects.toThrow(/append-only/);
    const [{ count }] = await db.query('SELECT count(*)::int AS count FROM ledger_entries WHERE posting_id = $1', [posting]);
    expect(count).toBe(2);
  });
});
