import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh tokens of every kind of account, not only residents': a token names its account by
 * kind and id, and the session (family) its rotations share. Residents' rows stay valid as they
 * are: their resident_id becomes account_id of kind 'resident', and each live row is a session
 * of its own (its public id names the session).
 */
export class AccountSessions1796400000000 implements MigrationInterface {
  name = 'AccountSessions1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_608b462f24dab708b9a0f403354"`);
    await queryRunner.query(`DROP INDEX "public"."refresh_tokens_resident_idx"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" RENAME COLUMN "resident_id" TO "account_id"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD "account_kind" character varying(16) NOT NULL DEFAULT 'resident'`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ALTER COLUMN "account_kind" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD "session_id" uuid`);
    await queryRunner.query(`UPDATE "refresh_tokens" SET "session_id" = "public_id"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ALTER COLUMN "session_id" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_account_kind_check" CHECK ("account_kind" IN ('resident', 'staff', 'official'))`,
    );
    await queryRunner.query(`CREATE INDEX "refresh_tokens_live_account_idx" ON "refresh_tokens" ("account_kind", "account_id") WHERE "revoked_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "refresh_tokens_session_idx" ON "refresh_tokens" ("session_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."refresh_tokens_session_idx"`);
    await queryRunner.query(`DROP INDEX "public"."refresh_tokens_live_account_idx"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "refresh_tokens_account_kind_check"`);
    // Only residents had sessions before; the others' cannot be kept under a resident_id.
    await queryRunner.query(`DELETE FROM "refresh_tokens" WHERE "account_kind" <> 'resident'`);
    await queryRunner.query(`DELETE FROM "refresh_tokens" t WHERE NOT EXISTS (SELECT 1 FROM "residents" r WHERE r."id" = t."account_id")`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "session_id"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "account_kind"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" RENAME COLUMN "account_id" TO "resident_id"`);
    await queryRunner.query(`CREATE INDEX "refresh_tokens_resident_idx" ON "refresh_tokens" ("resident_id")`);
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_608b462f24dab708b9a0f403354" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}
