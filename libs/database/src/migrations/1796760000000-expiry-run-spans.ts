import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The expiry job's chunks by campaign (issue 21): a run plans its chunks when it opens, each a
 * range of one campaign's voucher ids (expiry_run_spans), so a chunk reads that campaign's
 * partition of vouchers only, where a chunk of ids read every partition. plan_expiry_run() writes
 * the plan; the job calls it, and so does this migration for a run left open by the job before:
 * that run's missing chunks are planned anew over every campaign's ids, numbered after its old
 * chunks, and its chunk count becomes the chunks it did plus those. A plan over ids its old chunks
 * covered finds nothing there (a voucher the run expired holds the run's id), so nothing is
 * expired twice.
 */
export class ExpiryRunSpans1796760000000 implements MigrationInterface {
  name = 'ExpiryRunSpans1796760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "expiry_run_spans" ("run_id" bigint NOT NULL, "chunk_no" integer NOT NULL, "campaign_id" bigint NOT NULL, "from_id" bigint NOT NULL, "to_id" bigint NOT NULL, CONSTRAINT "PK_815232a7f67a83699ea37720225" PRIMARY KEY ("run_id", "chunk_no"))`);
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
    await queryRunner.query(`
      UPDATE expiry_runs SET chunk_count = chunks_done + plan_expiry_run(id, 100000, chunk_count)
       WHERE finished_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A run left open has chunks the job before this one cannot name (it cuts ids by its own
    // count), so it is closed with the chunks it did; the next run expires the rest.
    await queryRunner.query(`UPDATE expiry_runs SET finished_at = now(), chunk_count = chunks_done WHERE finished_at IS NULL`);
    await queryRunner.query(`DROP FUNCTION plan_expiry_run(bigint, bigint, integer)`);
    await queryRunner.query(`DROP TABLE "expiry_run_spans"`);
  }
}
