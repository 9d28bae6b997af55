import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The expiry job's chunks by campaign (issue 21): a run plans its chunks when it opens, each a
 * range of one campaign's voucher ids (expiry_run_spans), so a chunk reads that campaign's
 * partition of vouchers only, where a chunk of ids read every partition. plan_expiry_run()
 * writes a plan. `planned_at` says a run has one: a run opened by the job before this (left
 * open, or opened by an old worker still running while a deploy rolls) has none, and the job
 * plans it when it resumes it (apps/settlement/src/expiry/voucher-expiry.ts).
 */
export class ExpiryRunSpans1796760000000 implements MigrationInterface {
  name = 'ExpiryRunSpans1796760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "expiry_run_spans" ("run_id" bigint NOT NULL, "chunk_no" integer NOT NULL, "campaign_id" bigint NOT NULL, "from_id" bigint NOT NULL, "to_id" bigint NOT NULL, CONSTRAINT "PK_815232a7f67a83699ea37720225" PRIMARY KEY ("run_id", "chunk_no"))`);
    await queryRunner.query(`ALTER TABLE "expiry_runs" ADD "planned_at" TIMESTAMP WITH TIME ZONE`);
    // Each campaign's lowest and highest voucher id (its partition's primary key, first and last
    // entry), cut in chunks of chunk_vouchers ids, numbered from first_chunk; returns how many.
    await queryRunner.query(`
      CREATE FUNCTION plan_expiry_run(run bigint, chunk_vouchers bigint, first_chunk integer) RETURNS integer
      LANGUAGE sql VOLATILE AS $$
        WITH held AS (
          SELECT c.id AS campaign_id, b.lo, b.hi
            FROM campaigns c
           CROSS JOIN LATERAL (SELECT min(v.id) AS lo, max(v.id) AS hi FROM vouchers v WHERE v.campaign_id = c.id) b
           WHERE b.lo IS NOT NULL
        ), planned AS (
          INSERT INTO expiry_run_spans (run_id, chunk_no, campaign_id, from_id, to_id)
          SELECT run, first_chunk + (row_number() OVER (ORDER BY h.campaign_id, g.from_id))::int - 1,
                 h.campaign_id, g.from_id, least(g.from_id + chunk_vouchers, h.hi + 1)
            FROM held h CROSS JOIN LATERAL generate_series(h.lo, h.hi, chunk_vouchers) AS g(from_id)
          RETURNING 1
        )
        SELECT count(*)::int FROM planned
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A run left open may have chunks the job before this cannot name (it cuts ids by its own
    // count): it is closed with what it did, audited; the next run expires the rest.
    await queryRunner.query(`
      WITH closed AS (
        UPDATE expiry_runs SET finished_at = now(), chunk_count = chunks_done WHERE finished_at IS NULL
        RETURNING public_id, expired_count, expired_fen
      )
      INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, detail)
      SELECT 'migration', 'system', 'voucher_expiry.closed_by_migration', 'expiry_run', public_id::text,
             jsonb_build_object('expiredCount', expired_count, 'expiredFen', expired_fen)
        FROM closed`);
    await queryRunner.query(`DROP FUNCTION plan_expiry_run(bigint, bigint, integer)`);
    await queryRunner.query(`ALTER TABLE "expiry_runs" DROP COLUMN "planned_at"`);
    await queryRunner.query(`DROP TABLE "expiry_run_spans"`);
  }
}
