/**
 * The expiry reminder's decision: which residents get a notice today (resident_notices, pending).
 * The sends are notices.sql.ts'.
 */

/**
 * Decides the notices of kind $1: one per resident holding usable vouchers (claimed: not
 * redeemed, not expired, not returned to the pool) that expire within the next $2 hours, naming
 * how many and the earliest expiry (its Asia/Shanghai date), unless the account is closed. A resident already given a notice of
 * that date, or one decided today, gets none: ON CONFLICT on the daily notices' unique keys (round_id null).
 *
 * Each campaign's vouchers are read through its partition of vouchers_expiry_due_idx
 * (campaign_id, expires_at), which holds every claimed voucher: a range scan of the window, not
 * a read of the campaign (OFFSET 0 keeps the planner from flattening the LATERAL into a join of
 * every partition). The grouping and the writes stay in Postgres: a run over hundreds of
 * thousands of residents never brings them into the worker. Rows go in resident order, so two
 * deciders (were the lock ever lifted) wait on each other's rows in one order. Returns "added".
 */
export const DECIDE_NOTICES = `
  WITH added AS (
    INSERT INTO resident_notices (resident_id, kind, expiry_date, notice_date, voucher_count, earliest_expires_at)
    SELECT g.resident_id, $1::varchar, (g.earliest AT TIME ZONE 'Asia/Shanghai')::date,
           (now() AT TIME ZONE 'Asia/Shanghai')::date, g.voucher_count, g.earliest
      FROM (
        SELECT d.resident_id, count(*)::int AS voucher_count, min(d.expires_at) AS earliest
          FROM campaigns c
         CROSS JOIN LATERAL (
           SELECT v.resident_id, v.expires_at FROM vouchers v
            WHERE v.campaign_id = c.id AND v.status = 'claimed' AND v.expiry_run_id IS NULL
              AND v.expires_at > now() AND v.expires_at <= now() + make_interval(hours => $2::int)
           OFFSET 0) d
         GROUP BY d.resident_id
      ) g
      -- A closed account is told nothing: it has no number, and its vouchers were given up.
      -- Joined after the grouping: one look at each resident, not one a voucher.
      JOIN residents r ON r.id = g.resident_id AND r.closed_at IS NULL
     ORDER BY g.resident_id
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT count(*)::int AS added FROM added`;
