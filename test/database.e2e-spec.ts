import { newPublicId } from '@vouchers/common';
import { createDataSource, pendingSchemaChanges, runMigrationsLocked } from '@vouchers/database';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MerchantStaffTokenVersion1796830000000 } from '../libs/database/src/migrations/1796830000000-merchant-staff-token-version';
import { openTestDatabase } from './support/database';
import { insertMerchantWithStaff } from './support/merchant-accounts';

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

  it('start staff already disabled at token version 1 (their older tokens carry none, read as 0), the others at 0', async () => {
    const source = createDataSource(withDatabase(server, name), 2);
    await source.initialize();
    const runner = source.createQueryRunner();
    try {
      // Applied by the test before, or now when it runs alone.
      await runMigrationsLocked(source);
      const shop = await insertMerchantWithStaff(source);
      await source.query('UPDATE merchant_staff SET disabled_at = now() WHERE public_id = $1', [shop.cashierId]);
      // As on a database where the staff were disabled before the migration ran.
      const migration = new MerchantStaffTokenVersion1796830000000();
      await migration.down(runner);
      await migration.up(runner);
      const rows: Array<{ id: string; version: number }> = await source.query(
        'SELECT public_id AS id, token_version AS version FROM merchant_staff WHERE public_id = ANY($1::uuid[]) ORDER BY role',
        [[shop.cashierId, shop.adminId]],
      );
      expect(rows).toEqual([
        { id: shop.adminId, version: 0 },
        { id: shop.cashierId, version: 1 },
      ]);
    } finally {
      await runner.release();
      await source.destroy();
    }
  });
});

/** Tables whose rows the database itself protects; one connection for all of them. */
describe('rows the database protects', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db.destroy();
  });

  describe('the audit log', () => {
    beforeAll(async () => {
      await db.query(
        `INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id) VALUES ('t', 'auditor', 'test', 'x', 'y')`,
      );
    });

    it('refuses updates and deletes', async () => {
      await expect(db.query(`UPDATE audit_log SET action = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'test'`);
      expect(count).toBe(1);
    });
  });

  describe('the ledger', () => {
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

  describe("a voucher's campaign, round and resident", () => {
    it('are never deleted, renumbered or truncated: vouchers refer to them without foreign keys', async () => {
      const [{ campaign, round, resident }] = await db.query(
        `WITH c AS (INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
                    VALUES ($1, 'kept', '{dining}', '{}', 10000, 5000, 7, 1, 'active') RETURNING id),
              t AS (INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen) SELECT $2, id, '满40减10', 1000, 4000 FROM c RETURNING id, campaign_id),
              r AS (INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, quantity) SELECT $3, campaign_id, id, now(), 10 FROM t RETURNING id, campaign_id),
              p AS (INSERT INTO residents (public_id, phone, verified_at) VALUES ($4, '17000000999', now()) RETURNING id)
         SELECT r.campaign_id AS campaign, r.id AS round, p.id AS resident FROM r, p`,
        [newPublicId(), newPublicId(), newPublicId(), newPublicId()],
      );
      await db.query(
        `INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, claimed_at, expires_at)
         VALUES ($1, $2, $3, $4, 1, 1000, 4000, now(), now() + interval '7 days')`,
        [newPublicId(), campaign, round, resident],
      );
      for (const [table, id] of [['campaigns', campaign], ['rounds', round], ['residents', resident]] as const) {
        await expect(db.query(`DELETE FROM ${table} WHERE id = $1`, [id])).rejects.toThrow(`${table} rows are kept`);
        await expect(db.query(`UPDATE ${table} SET id = id + 1000000 WHERE id = $1`, [id])).rejects.toThrow(`${table} rows are kept`);
        await expect(db.query(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(`${table} rows are kept`);
      }
      await db.query(`UPDATE campaigns SET name = 'kept, renamed' WHERE id = $1`, [campaign]);
      const [{ count }] = await db.query(
        `SELECT count(*)::int AS count FROM vouchers v JOIN campaigns c ON c.id = v.campaign_id JOIN rounds r ON r.id = v.round_id
           JOIN residents p ON p.id = v.resident_id WHERE v.campaign_id = $1`,
        [campaign],
      );
      expect(count).toBe(1);
    });
  });
});
