/**
 * The money flows of business days $1..$2 (inclusive), one row per redemption of those days and
 * one per refund of those days (a refund counts on the day it was made, whenever its redemption
 * was), with its clawback. Each row names its day, voucher and merchant (the redemption's), and
 * the merchant's district and category as they were at the redemption (a refund keeps its
 * redemption's), so a report groups it by the voucher's campaign and by those. The
 * reconciliation report (FLOW_FIGURES) and the figures' recount (figures/recount.sql.ts) both
 * read it: one rule for which day and which district a flow belongs to. A refund's voucher and
 * merchant come from its redemption's keys (redemption_keys, unpartitioned, where the refund's
 * foreign key points): the redemption itself would be probed in every month's partition.
 */
export const FLOWS_OF_DAYS = `
    SELECT r.business_date AS day, r.voucher_id, r.merchant_id, r.merchant_district, r.merchant_category, 1 AS redemptions, r.order_amount_fen, r.discount_fen, r.city_fen, r.district_fen,
           0 AS refunds, 0::bigint AS refund_amount_fen, 0::bigint AS reversed_fen, 0::bigint AS reversed_city_fen,
           0::bigint AS reversed_district_fen, 0 AS clawbacks, 0::bigint AS clawback_fen
      FROM redemptions r
     WHERE r.business_date BETWEEN $1::date AND $2::date
    UNION ALL
    SELECT f.business_date, r.voucher_id, r.merchant_id, f.merchant_district, f.merchant_category, 0, 0, 0, 0, 0,
           1, f.refund_amount_fen, f.discount_reversed_fen, f.city_fen, f.district_fen,
           (c.id IS NOT NULL)::int, COALESCE(c.amount_fen, 0)
      FROM refunds f
      JOIN redemption_keys r ON r.redemption_id = f.redemption_id
      LEFT JOIN clawbacks c ON c.refund_id = f.id
     WHERE f.business_date BETWEEN $1::date AND $2::date`;
