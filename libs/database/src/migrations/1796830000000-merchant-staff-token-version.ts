import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A staff member's token version, as officials have one: disabling a member raises it, and
 * their access tokens of an older version are refused even once the member is enabled again.
 * Access tokens are read without the database; until now a disabled member's row refused them
 * (disabled_at), and nothing enabled a member again, so that was enough. Re-enabling would
 * have opened a token from before the disabling for the rest of its life; the version keeps
 * it closed, and the member signs in again. Existing members start at 0, which is what a token
 * without the claim reads as; those already disabled at 1.
 */
export class MerchantStaffTokenVersion1796830000000 implements MigrationInterface {
  name = 'MerchantStaffTokenVersion1796830000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "merchant_staff" ADD "token_version" integer NOT NULL DEFAULT '0'`);
    // Members disabled before this version existed: their older tokens carry no claim (0), so
    // they start at 1, as a disabling now leaves them, and enabling them opens none of those tokens.
    await queryRunner.query(`UPDATE "merchant_staff" SET "token_version" = 1 WHERE "disabled_at" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "merchant_staff" DROP COLUMN "token_version"`);
  }
}
