import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * resident_notices: the service messages decided for residents (ResidentNotice), first the
 * reminder that vouchers are about to expire. Its two unique keys are the "at most one"
 * (per resident, kind and expiry date named; per resident, kind and day decided), held by
 * Postgres whatever number of workers run the job. The senders walk the pending notices by id
 * through resident_notices_pending_idx, which a sent notice leaves.
 */
export class ResidentNotices1796880000000 implements MigrationInterface {
  name = 'ResidentNotices1796880000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "resident_notices" (
        "id" BIGSERIAL NOT NULL,
        "resident_id" bigint NOT NULL,
        "kind" character varying(32) NOT NULL,
        "expiry_date" date NOT NULL,
        "notice_date" date NOT NULL,
        "voucher_count" integer NOT NULL,
        "earliest_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "state" character varying(16) NOT NULL DEFAULT 'pending',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "taken_at" TIMESTAMP WITH TIME ZONE,
        "done_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "resident_notices_notice_date_key" UNIQUE ("resident_id", "kind", "notice_date"),
        CONSTRAINT "resident_notices_expiry_date_key" UNIQUE ("resident_id", "kind", "expiry_date"),
        CONSTRAINT "PK_bf57845d72a136df40a186852d6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "resident_notices_pending_idx" ON "resident_notices" ("kind", "id") WHERE "state" = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "resident_notices"`);
  }
}
