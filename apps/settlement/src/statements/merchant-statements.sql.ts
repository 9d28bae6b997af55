/**
 * A merchant's redemptions of one business day not tied to a settlement line yet: how many,
 * and the subsidy of those whose discount still stands.
 *
 * $1 merchant public id, $2 business day. Returns "n" (int) and "subsidy" (numeric: text).
 */
export const UNSETTLED_DAY = `
  SELECT count(*)::int AS n,
         COALESCE(sum(r.discount_fen) FILTER (WHERE r.status IN ('completed', 'partly_refunded')), 0) AS subsidy
    FROM redemptions r JOIN merchants m ON m.id = r.merchant_id
   WHERE m.public_id = $1::uuid AND r.business_date = $2::date AND r.settlement_line_id IS NULL`;
