/**
 * Decides the notices of kind $1 (lottery_won) of the draws published within the last $2 hours
 * and not yet decided, and marks them decided (lottery_draws.notices_decided_at): each draw's
 * winners are read once, by the first run after its publication. One notice per resident and
 * round whose draw gave them a voucher still usable (claimed: not redeemed, not expired, not
 * returned to the pool), naming how many and the earliest expiry (its Asia/Shanghai date), unless
 * the account has no number (closed, or retired by a number change). A resident told of that
 * round already gets none: ON CONFLICT on resident_notices_round_key.
 *
 * Only published draws: a draw whose winners are saved but not yet published (LOTTERY.md) tells
 * no one before the results are public. Each draw's winners are read through lottery_outcomes'
 * primary key (round, rank) and their vouchers by (campaign, id), in the round's campaign's
 * partition. One statement: the mark and the notices commit together. Returns "added".
 */
export const DECIDE_LOTTERY_WON = `
  WITH draws AS (
    UPDATE lottery_draws SET notices_decided_at = now()
     WHERE published_at IS NOT NULL AND published_at > now() - make_interval(hours => $2::int) AND notices_decided_at IS NULL
    RETURNING round_id
  ), added AS (
    INSERT INTO resident_notices (resident_id, kind, round_id, expiry_date, notice_date, voucher_count, earliest_expires_at)
    SELECT g.resident_id, $1::varchar, g.round_id, (g.earliest AT TIME ZONE 'Asia/Shanghai')::date,
           (now() AT TIME ZONE 'Asia/Shanghai')::date, g.voucher_count, g.earliest
      FROM (
        SELECT o.round_id, o.resident_id, count(*)::int AS voucher_count, min(v.expires_at) AS earliest
          FROM draws d
          JOIN rounds r ON r.id = d.round_id
          JOIN lottery_outcomes o ON o.round_id = d.round_id AND o.outcome = 'won'
          JOIN vouchers v ON v.campaign_id = r.campaign_id AND v.id = o.voucher_id
         WHERE v.status = 'claimed' AND v.expiry_run_id IS NULL AND v.expires_at > now()
         GROUP BY o.round_id, o.resident_id
      ) g
      JOIN residents res ON res.id = g.resident_id AND res.phone IS NOT NULL
     ORDER BY g.round_id, g.resident_id
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT count(*)::int AS added FROM added`;
