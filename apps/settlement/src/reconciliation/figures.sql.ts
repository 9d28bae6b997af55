/**
 * The report's figures, each one set-based statement over the business days $1..$2
 * (inclusive, Asia/Shanghai). Sums are cast back to bigint so they stay exact integer fen.
 */

import { FLOWS_OF_DAYS } from './flows.sql';

/** The window of moments the business days $1..$2 cover (the figures' recount counts claims and expiries by it too). */
export const BUSINESS_DAYS_WINDOW = {
  start: `(($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai')`,
  end: `((($2::date) + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`,
};
const DAY_START = BUSINESS_DAYS_WINDOW.start;
const DAY_END = BUSINESS_DAYS_WINDOW.end;

/**
 * Vouchers claimed in the range (by claimed_at) and vouchers expired in it (status expired,
 * expires_at in the range), in total (campaign_id null) and per campaign.
 */
export const VOUCHER_FIGURES = `
  SELECT c.public_id AS campaign_id, c.name AS campaign_name,
         count(*) FILTER (WHERE v.claimed_at >= ${DAY_START} AND v.claimed_at < ${DAY_END})::bigint AS claimed,
         COALESCE(sum(v.face_value_fen) FILTER (WHERE v.claimed_at >= ${DAY_START} AND v.claimed_at < ${DAY_END}), 0)::bigint AS claimed_fen,
         count(*) FILTER (WHERE v.status = 'expired' AND v.expires_at >= ${DAY_START} AND v.expires_at < ${DAY_END})::bigint AS expired,
         COALESCE(sum(v.face_value_fen) FILTER (WHERE v.status = 'expired' AND v.expires_at >= ${DAY_START} AND v.expires_at < ${DAY_END}), 0)::bigint AS expired_fen
    FROM vouchers v
    JOIN campaigns c ON c.id = v.campaign_id
   WHERE (v.claimed_at >= ${DAY_START} AND v.claimed_at < ${DAY_END})
      OR (v.status = 'expired' AND v.expires_at >= ${DAY_START} AND v.expires_at < ${DAY_END})
   GROUP BY GROUPING SETS ((), (c.id, c.public_id, c.name))
   ORDER BY c.name NULLS FIRST, c.public_id`;

/**
 * Money flows of the range (FLOWS_OF_DAYS: the redemptions of its days and the refunds of its
 * days, with their clawbacks), grouped in total, by the voucher's campaign, by the merchant's
 * district (whose budget pays the district share) and by the merchant's category, both as they
 * were at the redemption.
 * Net subsidy = discount − discount reversed.
 */
export const FLOW_FIGURES = `
  WITH flows AS (${FLOWS_OF_DAYS}
  )
  SELECT CASE WHEN GROUPING(cp.id) = 0 THEN 'campaign' WHEN GROUPING(x.merchant_district) = 0 THEN 'district'
              WHEN GROUPING(x.merchant_category) = 0 THEN 'category' ELSE 'total' END AS dimension,
         cp.public_id AS campaign_id, cp.name AS campaign_name, x.merchant_district AS district, x.merchant_category AS category,
         sum(x.redemptions)::bigint AS redemptions, sum(x.order_amount_fen)::bigint AS order_amount_fen,
         sum(x.discount_fen)::bigint AS discount_fen, sum(x.city_fen)::bigint AS city_fen, sum(x.district_fen)::bigint AS district_fen,
         sum(x.refunds)::bigint AS refunds, sum(x.refund_amount_fen)::bigint AS refund_amount_fen,
         sum(x.reversed_fen)::bigint AS reversed_fen, sum(x.reversed_city_fen)::bigint AS reversed_city_fen,
         sum(x.reversed_district_fen)::bigint AS reversed_district_fen,
         sum(x.clawbacks)::bigint AS clawbacks, sum(x.clawback_fen)::bigint AS clawback_fen
    FROM flows x
    JOIN vouchers v ON v.id = x.voucher_id
    JOIN campaigns cp ON cp.id = v.campaign_id
   GROUP BY GROUPING SETS ((), (cp.id, cp.public_id, cp.name), (x.merchant_district), (x.merchant_category))
   ORDER BY 1, cp.name, cp.public_id, x.merchant_district, x.merchant_category`;

/** Lines of the batches of the range, in total (status null) and by status. */
export const LINE_FIGURES = `
  SELECT l.status, count(l.id)::bigint AS lines, COALESCE(sum(l.redemption_count), 0)::bigint AS redemptions,
         COALESCE(sum(l.amount_fen), 0)::bigint AS amount_fen, COALESCE(sum(l.gross_fen), 0)::bigint AS gross_fen,
         COALESCE(sum(l.carried_fen), 0)::bigint AS carried_fen, COALESCE(sum(l.clawback_fen), 0)::bigint AS clawback_fen,
         COALESCE(sum(l.city_fen), 0)::bigint AS city_fen, COALESCE(sum(l.district_fen), 0)::bigint AS district_fen
    FROM settlement_batches b
    JOIN settlement_lines l ON l.batch_id = b.id
   WHERE b.business_date BETWEEN $1::date AND $2::date
   GROUP BY GROUPING SETS ((), (l.status))
   ORDER BY l.status NULLS FIRST`;
