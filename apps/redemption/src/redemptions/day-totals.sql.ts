/**
 * One business day of a merchant: the redemptions whose business day it is and the refunds
 * whose business day it is (each refund once: a clawback has at most one refund), summed by
 * Postgres. An unknown merchant or a quiet day gives zeros. $1 the merchant's public id, $2 the day.
 * Counts come back as numbers, sums of fen as text (bigint).
 */
export const DAY_TOTALS = `
  WITH merchant AS (
    SELECT id FROM merchants WHERE public_id = $1::uuid
  ), sold AS (
    SELECT count(*)::int AS redemption_count,
           COALESCE(sum(r.order_amount_fen), 0)::bigint AS order_amount_fen,
           COALESCE(sum(r.discount_fen), 0)::bigint AS discount_fen
      FROM redemptions r JOIN merchant m ON m.id = r.merchant_id
     WHERE r.business_date = $2::date
  ), returned AS (
    SELECT count(*)::int AS refund_count,
           COALESCE(sum(f.refund_amount_fen), 0)::bigint AS refund_amount_fen,
           COALESCE(sum(f.customer_refund_fen), 0)::bigint AS customer_refund_fen,
           COALESCE(sum(f.discount_reversed_fen), 0)::bigint AS discount_reversed_fen,
           COALESCE(sum(f.discount_reversed_fen) FILTER (WHERE c.id IS NOT NULL), 0)::bigint AS clawback_fen
      FROM refunds f JOIN merchant m ON m.id = f.merchant_id
      LEFT JOIN clawbacks c ON c.refund_id = f.id
     WHERE f.business_date = $2::date
  )
  SELECT s.*, t.*, s.discount_fen - t.discount_reversed_fen AS net_subsidy_fen
    FROM sold s CROSS JOIN returned t`;
