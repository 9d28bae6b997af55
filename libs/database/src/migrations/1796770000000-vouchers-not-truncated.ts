import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `TRUNCATE vouchers` would empty every partition and leave voucher_keys behind (a statement
 * trigger of DELETE does not fire for it), so a public id or Idempotency-Key would stay used
 * with no voucher. voucher_keys itself cannot be truncated while redemptions refer to it, so the
 * keys cannot follow: the truncate is refused. Deleting vouchers takes their keys with them.
 * A statement naming a partition passes this, as it passes the keys' triggers: maintenance only.
 */
export class VouchersNotTruncated1796770000000 implements MigrationInterface {
  name = 'VouchersNotTruncated1796770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION vouchers_not_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'vouchers are not truncated: their keys in voucher_keys would stay; delete them instead'; END $$`,
    );
    await queryRunner.query(`CREATE TRIGGER vouchers_not_truncated BEFORE TRUNCATE ON "vouchers" FOR EACH STATEMENT EXECUTE FUNCTION vouchers_not_truncated()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER vouchers_not_truncated ON "vouchers"`);
    await queryRunner.query(`DROP FUNCTION vouchers_not_truncated()`);
  }
}
