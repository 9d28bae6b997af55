import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The expiry job reads what is due, not every campaign (docs/partitions.md, "Expiry"). Until
 * this, plan_expiry_run cut every campaign's whole range of voucher ids into chunks each hour, so
 * each run read every voucher of every campaign not archived, expired or redeemed long before.
 *
 * vouchers_expiry_due_idx holds the vouchers a run may still expire: those claimed, and those a
 * full refund marked expired that no run has counted (expiry_run_id NULL). A redeemed voucher
 * leaves it, as does one a run expired. expiry_due_span(campaign, cutoff) reads a campaign's due
 * vouchers through it (an index probe when there are none), and the plan cuts chunks over the
 * due ids only. The grab adds one entry to the index a voucher.
 *
 * Building the index takes a SHARE lock on vouchers: grabs, tills and the expiry job wait for it
 * (docs/benchmarks.md measures it), so this runs between rounds, as every migration does.
 */
export class ExpiryDueIndex1796790000000 implements MigrationInterface {
  name = 'ExpiryDueIndex1796790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "vouchers_expiry_due_idx" ON "vouchers" ("campaign_id", "expires_at") WHERE "expiry_run_id" IS NULL AND "status" IN ('claimed', 'expired')`,
    );
    // A table function of one SELECT, STABLE: Postgres inlines it into the query that calls it,
    // so an EXPLAIN of that query shows how it reads. OFFSET 0 keeps min() and max() from being
    // planned as a walk of the primary key, which would read every voucher when none is due.
    await queryRunner.query(`
      CREATE FUNCTION expiry_due_span(campaign bigint, cutoff timestamptz) RETURNS TABLE (lo bigint, hi bigint)
      LANGUAGE sql STABLE AS $$
        SELECT min(d.id), max(d.id)
          FROM (SELECT v.id FROM vouchers v
                 WHERE v.campaign_id = campaign AND v.expires_at <= cutoff
                   AND v.expiry_run_id IS NULL AND v.status IN ('claimed', 'expired')
                OFFSET 0) d
      $$`);
    // Planned before the run's cutoff is known, each campaign's span looks costly enough to be JIT
    // compiled: 40-60 ms a run (bench:expiry), where the reads take a millisecond. Not worth it here.
    await queryRunner.query(
      planFunction(
        `
        SELECT c.id AS campaign_id, b.lo, b.hi
          FROM expiry_runs x CROSS JOIN campaigns c
         CROSS JOIN LATERAL expiry_due_span(c.id, x.cutoff) b
         WHERE x.id = run AND b.lo IS NOT NULL`,
        'SET jit = off',
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(planFunction(`
        SELECT c.id AS campaign_id, b.lo, b.hi
          FROM campaigns c
         CROSS JOIN LATERAL (SELECT min(v.id) AS lo, max(v.id) AS hi FROM vouchers v WHERE v.campaign_id = c.id) b
         WHERE b.lo IS NOT NULL`));
    await queryRunner.query(`DROP FUNCTION expiry_due_span(bigint, timestamptz)`);
    await queryRunner.query(`DROP INDEX "vouchers_expiry_due_idx"`);
  }
}

/**
 * plan_expiry_run(run, chunk_vouchers, first_chunk) as ExpiryRunSpans1796760000000 made it, the
 * ids it plans given by `spans` (campaign_id, lo, hi): each span cut in chunks of chunk_vouchers
 * ids, numbered from first_chunk; returns how many. `settings`: the function's own SET clauses.
 */
function planFunction(spans: string, settings = ''): string {
  return `
    CREATE OR REPLACE FUNCTION plan_expiry_run(run bigint, chunk_vouchers bigint, first_chunk integer) RETURNS integer
    LANGUAGE sql VOLATILE ${settings} AS $$
      WITH held AS (${spans}
      ), planned AS (
        INSERT INTO expiry_run_spans (run_id, chunk_no, campaign_id, from_id, to_id)
        SELECT run, first_chunk + (row_number() OVER (ORDER BY h.campaign_id, g.from_id))::int - 1,
               h.campaign_id, g.from_id, least(g.from_id + chunk_vouchers, h.hi + 1)
          FROM held h CROSS JOIN LATERAL generate_series(h.lo, h.hi, chunk_vouchers) AS g(from_id)
        RETURNING 1
      )
      SELECT count(*)::int FROM planned
    $$`;
}
