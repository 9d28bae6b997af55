import { MigrationInterface, QueryRunner } from 'typeorm';

export class MerchantStaffPhone1795770770238 implements MigrationInterface {
  name = 'MerchantStaffPhone1795770770238';

  // Staff sign-in finds a number's rows across every merchant (merchant_staff_merchant_phone_key leads with the merchant).
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "merchant_staff_phone_idx" ON "merchant_staff"  ("phone") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."merchant_staff_phone_idx"`);
  }
}
