import { MigrationInterface, QueryRunner } from 'typeorm';

/** Ledger entries are never updated or deleted, only reversed by new postings: the database refuses both. */
export class LedgerAppendOnly1795782208371 implements MigrationInterface {
  name = 'LedgerAppendOnly1795782208371';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'ledger_entries is append-only: reverse a posting with a new one'; END $$`);
    await queryRunner.query(`CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "ledger_entries" FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ledger_entries_append_only ON "ledger_entries"`);
    await queryRunner.query(`DROP FUNCTION ledger_entries_append_only()`);
  }
}
