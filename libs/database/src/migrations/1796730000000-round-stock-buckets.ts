import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hot-stock buckets (issue 21): a round's stock may be split in its admission state into
 * stock_buckets parts on different Redis slots (apps/issuance/src/claims/ADMISSION.md). 1, the
 * default and every existing round's, is the single stock key of before.
 */
export class RoundStockBuckets1796730000000 implements MigrationInterface {
  name = 'RoundStockBuckets1796730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rounds" ADD "stock_buckets" smallint NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD CONSTRAINT "rounds_stock_buckets_check" CHECK ("stock_buckets" BETWEEN 1 AND 64)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rounds" DROP CONSTRAINT "rounds_stock_buckets_check"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP COLUMN "stock_buckets"`);
  }
}
