import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A merchant's payout account changes, newest first: the till's shop page (the last one an
 * official decided, on every GET /v1/merchant/me) and the officials' merchant record read
 * them by merchant, which only the one-pending partial index covered (pending rows alone), so
 * both scanned the table. Changes are rare and the table small, but it grows with the program.
 */
export class BankAccountChangesByMerchant1796840000000 implements MigrationInterface {
  name = 'BankAccountChangesByMerchant1796840000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "merchant_bank_account_changes_merchant_idx" ON "merchant_bank_account_changes" ("merchant_id", "id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."merchant_bank_account_changes_merchant_idx"`);
  }
}
