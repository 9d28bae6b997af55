import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes on every batch: a finance official checks a built batch and submits it (复核), a
 * different one approves it (审批). The table refuses an approver who submitted or last
 * adjusted the batch, whatever the code does. Batches approved before this step existed have no
 * submitter: they are marked with the nil UUID, which no account has, so the rule holds for them.
 */
export class BatchReviewStep1796410000000 implements MigrationInterface {
  name = 'BatchReviewStep1796410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "settlement_batches" ADD "submitted_by" uuid`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" ADD "submitted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE "settlement_batches" SET "submitted_by" = '00000000-0000-0000-0000-000000000000', "submitted_at" = "approved_at" WHERE "approved_by" IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "settlement_batches" ADD CONSTRAINT "settlement_batches_four_eyes" CHECK ("approved_by" IS NULL OR ("submitted_by" IS NOT NULL AND "approved_by" <> "submitted_by" AND "approved_by" IS DISTINCT FROM "adjusted_by"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "settlement_batches" DROP CONSTRAINT "settlement_batches_four_eyes"`);
    // A submitted batch goes back to waiting for approval, as it was before the step existed.
    await queryRunner.query(`UPDATE "settlement_batches" SET "status" = 'pending_approval' WHERE "status" = 'submitted'`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" DROP COLUMN "submitted_at"`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" DROP COLUMN "submitted_by"`);
  }
}
