import { MigrationInterface, QueryRunner } from 'typeorm';

const PARENTS = ['campaigns', 'rounds', 'residents'];

/**
 * Vouchers keep their campaign, round and resident without foreign keys: the checks cost a
 * third of the grab's insert (one lookup and lock per key per row), and every reference a claim
 * writes was read from Postgres a moment before. What a foreign key would still catch, a parent
 * deleted or renumbered later, the database refuses outright: those rows are never deleted.
 */
export class VoucherParentsKept1795790000000 implements MigrationInterface {
  name = 'VoucherParentsKept1795790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "FK_1703ace656df8c625aa4ce809c8"`);
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "FK_cd74184d83f2523f2a95b04cbf3"`);
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "FK_dd7b41a94be9c53edbdfbd1a89f"`);
    await queryRunner.query(
      `CREATE FUNCTION voucher_parents_kept() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% rows are kept: vouchers refer to them, so they are never deleted or renumbered', TG_TABLE_NAME; END $$`,
    );
    for (const table of PARENTS) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_kept BEFORE DELETE OR UPDATE OF id ON "${table}" FOR EACH ROW EXECUTE FUNCTION voucher_parents_kept()`,
      );
      await queryRunner.query(`CREATE TRIGGER ${table}_not_truncated BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION voucher_parents_kept()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of PARENTS) {
      await queryRunner.query(`DROP TRIGGER ${table}_not_truncated ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_kept ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION voucher_parents_kept()`);
    await queryRunner.query(
      `ALTER TABLE "vouchers" ADD CONSTRAINT "FK_dd7b41a94be9c53edbdfbd1a89f" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "vouchers" ADD CONSTRAINT "FK_cd74184d83f2523f2a95b04cbf3" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "vouchers" ADD CONSTRAINT "FK_1703ace656df8c625aa4ce809c8" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }
}
