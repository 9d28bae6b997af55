import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for the officials' filtered listing, name-prefix search and the residents' nearby listing. */
export class MerchantListingIndexes1795770367817 implements MigrationInterface {
  name = 'MerchantListingIndexes1795770367817';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "merchants_latitude_idx" ON "merchants"  ("latitude") `);
    await queryRunner.query(`CREATE INDEX "merchants_status_public_idx" ON "merchants"  ("status", "public_id") `);
    await queryRunner.query(`CREATE INDEX "merchants_district_public_idx" ON "merchants"  ("district", "public_id") `);
    await queryRunner.query(`CREATE INDEX "merchants_shop_name_prefix_idx" ON "merchants" ("shop_name" text_pattern_ops)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."merchants_shop_name_prefix_idx"`);
    await queryRunner.query(`DROP INDEX "public"."merchants_district_public_idx"`);
    await queryRunner.query(`DROP INDEX "public"."merchants_status_public_idx"`);
    await queryRunner.query(`DROP INDEX "public"."merchants_latitude_idx"`);
  }
}
