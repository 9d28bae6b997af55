import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The voucher expiry job (DESIGN §8): its runs, the chunks each run committed, and per run and
 * round what it expired (count and face value, for the later return of value to the pool), and
 * on each voucher the run that recorded it expired. Vouchers a refund marked expired before
 * this have no run yet: the first run records them.
 */
export class ExpiryRuns1796510000000 implements MigrationInterface {
  name = 'ExpiryRuns1796510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "expiry_runs" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "cutoff" TIMESTAMP WITH TIME ZONE NOT NULL, "chunk_count" integer NOT NULL, "chunks_done" integer NOT NULL DEFAULT '0', "expired_count" integer NOT NULL DEFAULT '0', "expired_fen" bigint NOT NULL DEFAULT '0', "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_58345878d8f3b0e468c5b3606ee" UNIQUE ("public_id"), CONSTRAINT "PK_1f0bcfe593c816cb42b37daa79c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "expiry_run_chunks" ("run_id" bigint NOT NULL, "chunk_no" integer NOT NULL, "expired_count" integer NOT NULL DEFAULT '0', "done_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_563e713a7fef4609b058c997e6e" PRIMARY KEY ("run_id", "chunk_no"))`);
    await queryRunner.query(`CREATE TABLE "expiry_run_totals" ("run_id" bigint NOT NULL, "round_id" bigint NOT NULL, "campaign_id" bigint NOT NULL, "voucher_type_id" bigint NOT NULL, "vouchers" integer NOT NULL, "face_value_fen" bigint NOT NULL, CONSTRAINT "PK_58d695539858f50dd5faf88a8f1" PRIMARY KEY ("run_id", "round_id"))`);
    await queryRunner.query(`ALTER TABLE "vouchers" ADD "expiry_run_id" bigint`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "vouchers" DROP COLUMN "expiry_run_id"`);
    await queryRunner.query(`DROP TABLE "expiry_run_totals"`);
    await queryRunner.query(`DROP TABLE "expiry_run_chunks"`);
    await queryRunner.query(`DROP TABLE "expiry_runs"`);
  }
}
