import { MigrationInterface, QueryRunner } from 'typeorm';

export class SettlementBatches1795776909610 implements MigrationInterface {
  name = 'SettlementBatches1795776909610';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "settlement_chunks" ("batch_id" bigint NOT NULL, "chunk_no" integer NOT NULL, "line_count" integer NOT NULL, "done_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dabef26c1f6110493ab070e3a1a" PRIMARY KEY ("batch_id", "chunk_no"))`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" ADD "redemption_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" ADD "chunk_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" ADD "chunks_done" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" ADD "built_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" ADD "adjusted_by" uuid`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" ADD "paid_fen" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" ADD "failed_fen" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "gross_fen" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "carried_fen" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "clawback_fen" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "failure_reason" character varying(200)`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "paid_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "carried_into_line_id" bigint`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "credit_code" character(18)`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "bank_account_name" character varying(200)`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "bank_name" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "bank_account_cipher" text`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD "bank_account_masked" character varying(40)`);
    await queryRunner.query(`CREATE INDEX "redemptions_unsettled_idx" ON "redemptions"  ("business_date", "merchant_id") WHERE "settlement_line_id" IS NULL`);
    await queryRunner.query(`CREATE INDEX "settlement_lines_open_idx" ON "settlement_lines"  ("merchant_id") WHERE "status" IN ('failed', 'held') AND "carried_into_line_id" IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."settlement_lines_open_idx"`);
    await queryRunner.query(`DROP INDEX "public"."redemptions_unsettled_idx"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "bank_account_masked"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "bank_account_cipher"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "bank_name"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "bank_account_name"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "credit_code"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "carried_into_line_id"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "paid_at"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "failure_reason"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "clawback_fen"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "carried_fen"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP COLUMN "gross_fen"`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" DROP COLUMN "failed_fen"`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" DROP COLUMN "paid_fen"`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" DROP COLUMN "adjusted_by"`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" DROP COLUMN "built_at"`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" DROP COLUMN "chunks_done"`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" DROP COLUMN "chunk_count"`);
    await queryRunner.query(`ALTER TABLE "settlement_batches" DROP COLUMN "redemption_count"`);
    await queryRunner.query(`DROP TABLE "settlement_chunks"`);
  }
}
