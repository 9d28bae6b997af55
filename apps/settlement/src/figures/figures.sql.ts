/**
 * Officials' reads of the running totals (figures_days, figures_parties) over business days
 * $1..$2, inclusive. They read the rollup and the rounds, never the vouchers: a month's read is
 * a few thousand rollup rows whatever the program's size. Every grouping an answer may need
 * comes from one pass (GROUPING SETS); `dimension` names the grouping of each row. Sums are
 * cast back to bigint so they stay exact integer fen.
 */
import { FIGURE_MEASURES, measureColumns, MEASURE_SUMS, STORED_KEY } from './party-counts.fragments';

/** The groupings, named by the key columns that stay: the caller's scope picks among them. */
const GROUPINGS = `GROUPING SETS ((), (campaign_id), (voucher_type_id), (district), (category),
                   (district, campaign_id), (district, voucher_type_id), (district, category), (day), (day, district))`;

/** GROUPING(day, district, campaign_id, voucher_type_id, category): a bit is set for each column summed away. */
const DIMENSION = `CASE GROUPING(day, district, campaign_id, voucher_type_id, category)
    WHEN 31 THEN 'total' WHEN 27 THEN 'campaign' WHEN 29 THEN 'voucherType' WHEN 23 THEN 'district' WHEN 30 THEN 'category'
    WHEN 19 THEN 'districtCampaign' WHEN 21 THEN 'districtVoucherType' WHEN 22 THEN 'districtCategory'
    WHEN 15 THEN 'day' WHEN 7 THEN 'dayDistrict' END`;

/**
 * The additive figures, and the vouchers on offer: the quantity of the rounds opening on a day
 * (Asia/Shanghai), counted in their campaign's district and category as claims are. Two CTEs,
 * keyed and grouped; FIGURES_WITH_STORED_PARTIES (today) selects from them.
 */
const TOTALS_CTES = `
  keyed AS (
    SELECT day, campaign_id, voucher_type_id, district, category, 0::bigint AS offered,
           claimed, claimed_fen, redeemed, order_amount_fen, discount_fen, city_fen, district_fen,
           refunded, refund_amount_fen, reversed_fen, reversed_city_fen, reversed_district_fen, expired, expired_fen
      FROM figures_days
     WHERE day BETWEEN $1::date AND $2::date
    UNION ALL
    SELECT (r.opens_at AT TIME ZONE 'Asia/Shanghai')::date, r.campaign_id, r.voucher_type_id,
           figures_claim_district(c.districts), figures_claim_category(c.categories), r.quantity,
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM rounds r JOIN campaigns c ON c.id = r.campaign_id
     WHERE r.opens_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
       AND r.opens_at < (($2::date) + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
  ), grouped AS (
    SELECT ${DIMENSION} AS dimension, to_char(day, 'YYYY-MM-DD') AS day, district, campaign_id, voucher_type_id, category,
           sum(offered)::bigint AS offered, sum(claimed)::bigint AS claimed, sum(claimed_fen)::bigint AS claimed_fen,
           sum(redeemed)::bigint AS redeemed, sum(order_amount_fen)::bigint AS order_amount_fen,
           sum(discount_fen)::bigint AS discount_fen, sum(city_fen)::bigint AS city_fen, sum(district_fen)::bigint AS district_fen,
           sum(refunded)::bigint AS refunded, sum(refund_amount_fen)::bigint AS refund_amount_fen,
           sum(reversed_fen)::bigint AS reversed_fen, sum(reversed_city_fen)::bigint AS reversed_city_fen,
           sum(reversed_district_fen)::bigint AS reversed_district_fen, sum(expired)::bigint AS expired, sum(expired_fen)::bigint AS expired_fen
      FROM keyed
     GROUP BY ${GROUPINGS}
  )`;

/** The stored parties of period $3 from $4, and of each day $1..$2 in total and by district (the daily series), keyed as stored. */
const STORED_PARTIES = `
    SELECT dimension, '' AS day, district, campaign_id, voucher_type_id, category, residents, merchants
      FROM figures_party_counts WHERE period = $3 AND period_start = $4::date
    UNION ALL
    SELECT CASE dimension WHEN 'total' THEN 'day' ELSE 'dayDistrict' END, to_char(period_start, 'YYYY-MM-DD'), district, 0, 0, '', residents, merchants
      FROM figures_party_counts WHERE period = 'day' AND period_start BETWEEN $1::date AND $2::date AND dimension IN ('total', 'district')`;

const TOTALS_COLUMNS = `g.dimension, g.day, g.district, g.category, c.public_id AS campaign_id, c.name AS campaign_name,
         t.public_id AS voucher_type_id, t.name AS voucher_type_name,
         g.offered, g.claimed, g.claimed_fen, g.redeemed, g.order_amount_fen, g.discount_fen, g.city_fen, g.district_fen,
         g.refunded, g.refund_amount_fen, g.reversed_fen, g.reversed_city_fen, g.reversed_district_fen, g.expired, g.expired_fen`;

const NAMED_IN_ORDER = `LEFT JOIN campaigns c ON c.id = g.campaign_id
    LEFT JOIN voucher_types t ON t.id = g.voucher_type_id
   ORDER BY g.dimension, g.day, g.district, c.name, c.public_id, t.name, t.public_id, g.category`;

/** The vouchers on offer in days $1..$2 by every grouping, keyed as stored ('' or 0 where summed away). */
const OFFERED = `
    SELECT ${DIMENSION} AS dimension, COALESCE(to_char(day, 'YYYY-MM-DD'), '') AS day, ${STORED_KEY}, sum(offered)::bigint AS offered
      FROM (SELECT (r.opens_at AT TIME ZONE 'Asia/Shanghai')::date AS day, r.campaign_id, r.voucher_type_id,
                   figures_claim_district(c.districts) AS district, figures_claim_category(c.categories) AS category, r.quantity AS offered
              FROM rounds r JOIN campaigns c ON c.id = r.campaign_id
             WHERE r.opens_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
               AND r.opens_at < (($2::date) + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') k
     GROUP BY ${GROUPINGS}`;

/** Rows `g` keyed as stored, answered as FIGURE_TOTALS answers them: null where summed away, each figure 0 where absent. */
const STORED_KEYS_ANSWERED = `g.dimension, NULLIF(g.day, '') AS day, NULLIF(g.district, '') AS district, NULLIF(g.category, '') AS category,
         c.public_id AS campaign_id, c.name AS campaign_name, t.public_id AS voucher_type_id, t.name AS voucher_type_name,
         COALESCE(g.offered, 0) AS offered, ${FIGURE_MEASURES.map((measure) => `COALESCE(g.${measure}, 0) AS ${measure}`).join(', ')}`;

const STORED_KEYS_NAMED_IN_ORDER = `LEFT JOIN campaigns c ON c.id = g.campaign_id
    LEFT JOIN voucher_types t ON t.id = g.voucher_type_id
   ORDER BY g.dimension, NULLIF(g.day, ''), NULLIF(g.district, ''), c.name, c.public_id, t.name, t.public_id, NULLIF(g.category, '')`;

/**
 * The additive figures of business days $1..$2 by every grouping. Each closed day whose totals
 * are stored and current (figures_period_totals, PeriodTotals) is read from its stored rows by
 * key; the other days (today, a day not closed yet) are grouped from the running totals; the
 * two are added up grouping by grouping. So a month to date reads its closed days' stored
 * rows and today's running totals. One statement: a late expiry's running totals and its day's
 * stale mark commit together, so a day is read from one or the other, never both or neither.
 */
export const FIGURE_TOTALS = `
  WITH stored_days AS (
    SELECT period_start AS day FROM figures_party_periods
     WHERE period = 'day' AND closed AND NOT totals_stale AND period_start BETWEEN $1::date AND $2::date
  ), running AS (
    SELECT ${DIMENSION} AS dimension, COALESCE(to_char(day, 'YYYY-MM-DD'), '') AS day, ${STORED_KEY}, 0::bigint AS offered, ${MEASURE_SUMS}
      FROM figures_days
     WHERE day BETWEEN $1::date AND $2::date AND day NOT IN (SELECT day FROM stored_days)
     GROUP BY ${GROUPINGS}
  ), stored AS (
    SELECT t.dimension, '' AS day, t.district, t.campaign_id, t.voucher_type_id, t.category, 0::bigint AS offered, ${measureColumns('t.')}
      FROM figures_period_totals t JOIN stored_days s ON t.period = 'day' AND t.period_start = s.day
    UNION ALL
    SELECT CASE t.dimension WHEN 'total' THEN 'day' ELSE 'dayDistrict' END, to_char(t.period_start, 'YYYY-MM-DD'),
           t.district, t.campaign_id, t.voucher_type_id, t.category, 0::bigint, ${measureColumns('t.')}
      FROM figures_period_totals t JOIN stored_days s ON t.period = 'day' AND t.period_start = s.day
     WHERE t.dimension IN ('total', 'district')
  ), offered AS (${OFFERED}
  ), g AS (
    SELECT dimension, day, district, campaign_id, voucher_type_id, category, sum(offered)::bigint AS offered, ${MEASURE_SUMS}
      FROM (SELECT * FROM running UNION ALL SELECT * FROM stored
            UNION ALL SELECT dimension, day, district, campaign_id, voucher_type_id, category, offered, ${FIGURE_MEASURES.map(() => '0::bigint').join(', ')} FROM offered) x
     GROUP BY dimension, day, district, campaign_id, voucher_type_id, category
  )
  SELECT ${STORED_KEYS_ANSWERED}
    FROM g
    ${STORED_KEYS_NAMED_IN_ORDER}`;

/**
 * The figures of days $1..$2 when they are one open day ($3 'day', $4 the day: today) whose
 * distinct parties are stored (figures_party_counts, counted again every few seconds), from the
 * running totals, each row with its residents and merchants: the day's rows for the groupings
 * of the range, and its total and by district for the daily series. One statement, so one
 * snapshot and one round trip.
 */
export const FIGURES_WITH_STORED_PARTIES = `
  WITH ${TOTALS_CTES}, parties AS (${STORED_PARTIES}
  )
  SELECT ${TOTALS_COLUMNS}, p.residents, p.merchants
    FROM grouped g
    LEFT JOIN parties p ON p.dimension = g.dimension AND p.day = COALESCE(g.day, '') AND p.district = COALESCE(g.district, '')
          AND p.campaign_id = COALESCE(g.campaign_id, 0) AND p.voucher_type_id = COALESCE(g.voucher_type_id, 0) AND p.category = COALESCE(g.category, '')
    ${NAMED_IN_ORDER}`;

/**
 * The figures of days $1..$2 when they are one whole closed period ($3 day | week | month, from
 * $4) whose additive totals (figures_period_totals) and distinct parties (figures_party_counts)
 * are stored: the period's rows for the groupings of the range, and each day's total and by
 * district for the daily series, read by key, with the vouchers on offer (the rounds opening
 * in the range, which a pool return may still raise or lower) grouped at read time, a few
 * rows. Keys are '' or 0 where summed away, as stored, and answered as FIGURE_TOTALS answers
 * them (null). One statement: one snapshot, one round trip.
 */
export const FIGURES_OF_CLOSED_PERIOD = `
  WITH offered AS (${OFFERED}
  ), stored AS (
    SELECT dimension, '' AS day, district, campaign_id, voucher_type_id, category, ${measureColumns()}
      FROM figures_period_totals WHERE period = $3 AND period_start = $4::date
    UNION ALL
    SELECT CASE dimension WHEN 'total' THEN 'day' ELSE 'dayDistrict' END, to_char(period_start, 'YYYY-MM-DD'), district, campaign_id, voucher_type_id, category,
           ${measureColumns()}
      FROM figures_period_totals WHERE period = 'day' AND period_start BETWEEN $1::date AND $2::date AND dimension IN ('total', 'district')
  ), parties AS (${STORED_PARTIES}
  ), g AS (
    SELECT * FROM stored FULL JOIN offered USING (dimension, day, district, campaign_id, voucher_type_id, category)
  )
  SELECT ${STORED_KEYS_ANSWERED}, p.residents, p.merchants
    FROM g
    LEFT JOIN parties p USING (dimension, day, district, campaign_id, voucher_type_id, category)
    ${STORED_KEYS_NAMED_IN_ORDER}`;

/** Residents and merchants who redeemed, each counted once per grouping however many days and keys they redeemed in. */
export const FIGURE_PARTIES = `
  WITH grouped AS (
    SELECT ${DIMENSION} AS dimension, to_char(day, 'YYYY-MM-DD') AS day, district, campaign_id, voucher_type_id, category,
           count(DISTINCT party_id) FILTER (WHERE kind = 'r')::bigint AS residents,
           count(DISTINCT party_id) FILTER (WHERE kind = 'm')::bigint AS merchants
      FROM figures_parties
     WHERE day BETWEEN $1::date AND $2::date
     GROUP BY ${GROUPINGS}
  )
  SELECT g.dimension, g.day, g.district, g.category, c.public_id AS campaign_id, t.public_id AS voucher_type_id, g.residents, g.merchants
    FROM grouped g
    LEFT JOIN campaigns c ON c.id = g.campaign_id
    LEFT JOIN voucher_types t ON t.id = g.voucher_type_id`;

/** Targets of one period ($1 week | month, $2 its first day), by district. */
export const PERIOD_TARGETS = `
  SELECT district, consumption_fen, subsidy_fen, redeemed
    FROM district_targets
   WHERE period = $1 AND period_start = $2::date
   ORDER BY district`;

/** Sets the targets of one period: $3..$6 arrays, one element per district; a null leaves that target unset. */
export const SET_TARGETS = `
  INSERT INTO district_targets (period, period_start, district, consumption_fen, subsidy_fen, redeemed, set_by, updated_at)
  SELECT $1, $2::date, t.district, t.consumption_fen, t.subsidy_fen, t.redeemed, $7::uuid, now()
    FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::integer[]) AS t(district, consumption_fen, subsidy_fen, redeemed)
  ON CONFLICT (period, period_start, district) DO UPDATE
     SET consumption_fen = EXCLUDED.consumption_fen, subsidy_fen = EXCLUDED.subsidy_fen, redeemed = EXCLUDED.redeemed,
         set_by = EXCLUDED.set_by, updated_at = EXCLUDED.updated_at`;

/** Active campaigns' totals since they began, for the operators' metrics: the $1 largest by claims. */
export const ACTIVE_CAMPAIGN_TOTALS = `
  SELECT c.public_id AS campaign_id, sum(f.claimed)::bigint AS claimed, sum(f.redeemed)::bigint AS redeemed,
         sum(f.refunded)::bigint AS refunded,
         (sum(f.city_fen) - sum(f.reversed_city_fen))::bigint AS city_fen,
         (sum(f.district_fen) - sum(f.reversed_district_fen))::bigint AS district_fen
    FROM campaigns c JOIN figures_days f ON f.campaign_id = c.id
   WHERE c.status = 'active'
   GROUP BY c.id, c.public_id
   ORDER BY sum(f.claimed) DESC, c.public_id
   LIMIT $1`;
