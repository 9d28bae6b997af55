/**
 * Pieces of SQL the statements of party-counts.sql.ts, period-totals.sql.ts, figures.sql.ts and
 * recount.sql.ts are built from (not statements themselves, so they live outside the *.sql.ts
 * files, whose every export is prepared against the schema by test/named-statements).
 */

/** The groupings of a whole period (those of FIGURE_PARTIES without the day). */
export const PERIOD_GROUPINGS = `GROUPING SETS ((), (campaign_id), (voucher_type_id), (district), (category),
                   (district, campaign_id), (district, voucher_type_id), (district, category))`;

/** GROUPING(district, campaign_id, voucher_type_id, category): a bit is set for each column summed away. */
export const PERIOD_DIMENSION = `CASE GROUPING(district, campaign_id, voucher_type_id, category)
    WHEN 15 THEN 'total' WHEN 11 THEN 'campaign' WHEN 13 THEN 'voucherType' WHEN 7 THEN 'district' WHEN 14 THEN 'category'
    WHEN 3 THEN 'districtCampaign' WHEN 5 THEN 'districtVoucherType' WHEN 6 THEN 'districtCategory' END`;

/** The key columns as stored: '' or 0 where summed away. */
export const STORED_KEY = `COALESCE(district, '') AS district, COALESCE(campaign_id, 0) AS campaign_id,
           COALESCE(voucher_type_id, 0) AS voucher_type_id, COALESCE(category, '') AS category`;

/** The additive figures the running totals keep (figures_days) and closed periods store (figures_period_totals), in one order. */
export const FIGURE_MEASURES = [
  'claimed',
  'claimed_fen',
  'redeemed',
  'order_amount_fen',
  'discount_fen',
  'city_fen',
  'district_fen',
  'refunded',
  'refund_amount_fen',
  'reversed_fen',
  'reversed_city_fen',
  'reversed_district_fen',
  'expired',
  'expired_fen',
] as const;

/** The measures as a column list, each qualified by `alias` when given. */
export const measureColumns = (alias = ''): string => FIGURE_MEASURES.map((measure) => `${alias}${measure}`).join(', ');

/** Each measure summed, back to bigint (exact integer fen), under its own name. */
export const MEASURE_SUMS = FIGURE_MEASURES.map((measure) => `sum(${measure})::bigint AS ${measure}`).join(', ');
