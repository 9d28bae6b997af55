import { MigrationInterface, QueryRunner } from 'typeorm';

const FOUR_EYES_BEFORE =
  '"approved_by" IS NULL OR ("submitted_by" IS NOT NULL AND "approved_by" <> "submitted_by" AND "approved_by" IS DISTINCT FROM "adjusted_by")';
const FOUR_EYES =
  '"approved_by" IS NULL OR ("submitted_by" IS NOT NULL AND "approved_by" <> "submitted_by" AND "approved_by" IS DISTINCT FROM "adjusted_by" AND NOT ("approved_by" = ANY ("adjusters")))';

/**
 * Four eyes count everyone who re-opened a batch or held a line of it, not the last of them only:
 * with one column a hold by a second official let the one who had re-opened the batch approve it.
 * `adjusters` lists them all (adjusted_by stays: the last, as the batch's view shows), and the
 * table refuses an approver among them. Existing batches start with their last adjuster.
 */
export class BatchAdjusters1796810000000 implements MigrationInterface {
  name = 'BatchAdjusters1796810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE "settlement_batches" ADD "adjusters" uuid array NOT NULL DEFAULT '{}'`);
    await q(`UPDATE "settlement_batches" SET "adjusters" = ARRAY["adjusted_by"] WHERE "adjusted_by" IS NOT NULL`);
    await q(`ALTER TABLE "settlement_batches" DROP CONSTRAINT "settlement_batches_four_eyes"`);
    await q(`ALTER TABLE "settlement_batches" ADD CONSTRAINT "settlement_batches_four_eyes" CHECK (${FOUR_EYES})`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE "settlement_batches" DROP CONSTRAINT "settlement_batches_four_eyes"`);
    await q(`ALTER TABLE "settlement_batches" ADD CONSTRAINT "settlement_batches_four_eyes" CHECK (${FOUR_EYES_BEFORE})`);
    await q(`ALTER TABLE "settlement_batches" DROP COLUMN "adjusters"`);
  }
}
