import { BUSINESS_DAYS_WINDOW } from '../reconciliation/figures.sql';
import { FLOWS_OF_DAYS } from '../reconciliation/flows.sql';
import { FIGURE_MEASURES, measureColumns, PERIOD_DIMENSION, PERIOD_GROUPINGS, STORED_KEY } from './party-counts.fragments';

const { start: DAY_START, end: DAY_END } = BUSINESS_DAYS_WINDOW;
const SHANGHAI_DAY = (column: string) => `(${column} AT TIME ZONE 'Asia/Shanghai')::date`;

/** The measures the recount compares, in one order on both sides. */
const MEASURES = FIGURE_MEASURES;

const sums = MEASURES.map((measure) => `sum(${measure})::bigint`).join(', ');
const KEY = 'day, campaign_id, voucher_type_id, district, category';

/**
 * The figures of business days $1..$2 counted again from the raw tables, compared key by key
 * with the running totals (slots summed); answers each key whose figures differ (the first $3,
 * every row carrying the full count). The rules are reconciliation's: claims and expiries by
 * the windows of VOUCHER_FIGURES (claimed_at; status expired and expires_at), money flows by
 * FLOWS_OF_DAYS (redemptions and refunds by their business days, the merchant's district and
 * category at the redemption), the campaign's district and category by the migration's SQL functions the triggers
 * call. Parties: residents and merchants of the day's redemptions, per day and key.
 * One statement, so one snapshot: a claim committing meanwhile is in both sides or in neither.
 */
export const RECOUNT_DIFFERENCES = `
  WITH flows AS (${FLOWS_OF_DAYS}
  ), raw AS (
    SELECT ${SHANGHAI_DAY('v.claimed_at')} AS day, v.campaign_id, r.voucher_type_id,
           figures_claim_district(c.districts) AS district, figures_claim_category(c.categories) AS category,
           1 AS claimed, v.face_value_fen AS claimed_fen, 0 AS redeemed, 0 AS order_amount_fen, 0 AS discount_fen, 0 AS city_fen,
           0 AS district_fen, 0 AS refunded, 0 AS refund_amount_fen, 0 AS reversed_fen, 0 AS reversed_city_fen,
           0 AS reversed_district_fen, 0 AS expired, 0 AS expired_fen
      FROM vouchers v JOIN rounds r ON r.id = v.round_id JOIN campaigns c ON c.id = v.campaign_id
     WHERE v.claimed_at >= ${DAY_START} AND v.claimed_at < ${DAY_END}
    UNION ALL
    SELECT ${SHANGHAI_DAY('v.expires_at')}, v.campaign_id, r.voucher_type_id,
           figures_claim_district(c.districts), figures_claim_category(c.categories), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, v.face_value_fen
      FROM vouchers v JOIN rounds r ON r.id = v.round_id JOIN campaigns c ON c.id = v.campaign_id
     WHERE v.status = 'expired' AND v.expires_at >= ${DAY_START} AND v.expires_at < ${DAY_END}
    UNION ALL
    SELECT x.day, v.campaign_id, r.voucher_type_id, x.merchant_district, x.merchant_category, 0, 0,
           x.redemptions, x.order_amount_fen, x.discount_fen, x.city_fen, x.district_fen,
           x.refunds, x.refund_amount_fen, x.reversed_fen, x.reversed_city_fen, x.reversed_district_fen, 0, 0
      FROM flows x JOIN vouchers v ON v.id = x.voucher_id JOIN rounds r ON r.id = v.round_id
  ), counted AS (
    SELECT ${KEY}, ARRAY[${sums}] AS figures FROM raw GROUP BY ${KEY}
  ), kept AS (
    SELECT ${KEY}, ARRAY[${sums}] AS figures FROM figures_days WHERE day BETWEEN $1::date AND $2::date GROUP BY ${KEY}
  ), raw_parties AS (
    SELECT DISTINCT x.day AS day, v.campaign_id, r.voucher_type_id, x.merchant_district AS district, x.merchant_category AS category, p.kind, p.party_id
      FROM flows x JOIN vouchers v ON v.id = x.voucher_id JOIN rounds r ON r.id = v.round_id
     CROSS JOIN LATERAL (VALUES ('r', v.resident_id), ('m', x.merchant_id)) AS p(kind, party_id)
     WHERE x.redemptions = 1
  ), counted_parties AS (
    SELECT ${KEY}, ARRAY[count(*) FILTER (WHERE kind = 'r'), count(*) FILTER (WHERE kind = 'm')]::bigint[] AS parties
      FROM raw_parties GROUP BY ${KEY}
  ), kept_parties AS (
    SELECT ${KEY}, ARRAY[count(*) FILTER (WHERE kind = 'r'), count(*) FILTER (WHERE kind = 'm')]::bigint[] AS parties
      FROM figures_parties WHERE day BETWEEN $1::date AND $2::date GROUP BY ${KEY}
  ), zero AS (
    SELECT array_fill(0::bigint, ARRAY[${MEASURES.length}]) AS figures, ARRAY[0, 0]::bigint[] AS parties
  ), compared AS (
    SELECT ${KEY},
           COALESCE(c.figures, z.figures) AS counted, COALESCE(k.figures, z.figures) AS kept,
           COALESCE(cp.parties, z.parties) AS counted_parties, COALESCE(kp.parties, z.parties) AS kept_parties
      FROM counted c
      FULL JOIN kept k USING (${KEY})
      FULL JOIN counted_parties cp USING (${KEY})
      FULL JOIN kept_parties kp USING (${KEY})
     CROSS JOIN zero z
  ), differing AS (
    SELECT * FROM compared WHERE counted <> kept OR counted_parties <> kept_parties
  )
  SELECT to_char(d.day, 'YYYY-MM-DD') AS day, c.public_id AS campaign_id, t.public_id AS voucher_type_id, d.district, d.category,
         d.counted, d.kept, d.counted_parties, d.kept_parties, count(*) OVER ()::bigint AS total
    FROM differing d
    LEFT JOIN campaigns c ON c.id = d.campaign_id
    LEFT JOIN voucher_types t ON t.id = d.voucher_type_id
   ORDER BY d.day, d.campaign_id, d.voucher_type_id, d.district, d.category
   LIMIT $3`;

/** The measures' names, in the order of the arrays RECOUNT_DIFFERENCES answers. */
export const RECOUNT_MEASURES: readonly string[] = MEASURES;

/**
 * The stored distinct party counts (figures_party_counts) of every closed period lying within
 * business days $1..$2, counted again from the raw redemptions of those days (each resident
 * and merchant once per period and grouping), compared row by row. Answers how many rows
 * differ or are on one side only, and the first $3 of them. An open day's counts are left out:
 * they may be seconds behind by design.
 */
export const RECOUNT_PERIOD_DIFFERENCES = `
  WITH flows AS (${FLOWS_OF_DAYS}
  ), periods AS (
    SELECT period, period_start FROM figures_party_periods WHERE closed AND period_start >= $1::date AND period_end <= $2::date
  ), raw_parties AS (
    SELECT DISTINCT x.day AS day, v.campaign_id, r.voucher_type_id, x.merchant_district AS district, x.merchant_category AS category, p.kind, p.party_id
      FROM flows x JOIN vouchers v ON v.id = x.voucher_id JOIN rounds r ON r.id = v.round_id
     CROSS JOIN LATERAL (VALUES ('r', v.resident_id), ('m', x.merchant_id)) AS p(kind, party_id)
     WHERE x.redemptions = 1
  ), in_periods AS (
    SELECT k.period, k.period_start, x.campaign_id, x.voucher_type_id, x.district, x.category, x.kind, x.party_id
      FROM raw_parties x
     CROSS JOIN LATERAL (VALUES ('day', x.day), ('week', x.day - (extract(isodow FROM x.day)::int - 1)), ('month', date_trunc('month', x.day)::date))
           AS k(period, period_start)
      JOIN periods USING (period, period_start)
  ), counted AS (
    SELECT period, period_start, ${PERIOD_DIMENSION} AS dimension, ${STORED_KEY},
           count(DISTINCT party_id) FILTER (WHERE kind = 'r') AS residents, count(DISTINCT party_id) FILTER (WHERE kind = 'm') AS merchants
      FROM in_periods
     GROUP BY period, period_start, ${PERIOD_GROUPINGS}
  ), kept AS (
    SELECT c.period, c.period_start, c.dimension, c.district, c.campaign_id, c.voucher_type_id, c.category, c.residents, c.merchants
      FROM figures_party_counts c JOIN periods USING (period, period_start)
  ), differing AS (
    SELECT period, period_start, dimension, district, campaign_id, voucher_type_id, category,
           ARRAY[COALESCE(c.residents, 0), COALESCE(c.merchants, 0)]::bigint[] AS counted,
           ARRAY[COALESCE(k.residents, 0), COALESCE(k.merchants, 0)]::bigint[] AS kept
      FROM counted c
      FULL JOIN kept k USING (period, period_start, dimension, district, campaign_id, voucher_type_id, category)
     WHERE c.residents IS NULL OR k.residents IS NULL OR c.residents <> k.residents OR c.merchants <> k.merchants
  )
  SELECT period, to_char(period_start, 'YYYY-MM-DD') AS period_start, dimension, district, campaign_id::text, voucher_type_id::text, category,
         counted, kept, count(*) OVER ()::bigint AS total
    FROM differing
   ORDER BY period, period_start, dimension, district, campaign_id, voucher_type_id, category
   LIMIT $3`;

/**
 * The stored additive totals (figures_period_totals) of every closed period lying within
 * business days $1..$2 whose totals are current (a stale one is stored again before any read
 * uses it), summed again from its days' running totals, compared row by row in one snapshot.
 * With RECOUNT_DIFFERENCES (the running totals against the raw tables, key by key, over the
 * same days) a stored total the raw tables do not bear out differs in one or the other.
 * Answers how many rows differ or are on one side only, and the first $3 of them.
 */
export const RECOUNT_PERIOD_TOTAL_DIFFERENCES = `
  WITH periods AS (
    SELECT period, period_start, period_end FROM figures_party_periods
     WHERE closed AND NOT totals_stale AND period_start >= $1::date AND period_end <= $2::date
  ), counted AS (
    SELECT p.period, p.period_start, ${PERIOD_DIMENSION} AS dimension, ${STORED_KEY}, ARRAY[${sums}] AS figures
      FROM periods p JOIN figures_days f ON f.day BETWEEN p.period_start AND p.period_end
     GROUP BY p.period, p.period_start, ${PERIOD_GROUPINGS}
  ), kept AS (
    SELECT t.period, t.period_start, t.dimension, t.district, t.campaign_id, t.voucher_type_id, t.category,
           ARRAY[${measureColumns('t.')}]::bigint[] AS figures
      FROM figures_period_totals t JOIN periods p USING (period, period_start)
  ), differing AS (
    SELECT period, period_start, dimension, district, campaign_id, voucher_type_id, category,
           COALESCE(c.figures, array_fill(0::bigint, ARRAY[${MEASURES.length}])) AS counted,
           COALESCE(k.figures, array_fill(0::bigint, ARRAY[${MEASURES.length}])) AS kept
      FROM counted c
      FULL JOIN kept k USING (period, period_start, dimension, district, campaign_id, voucher_type_id, category)
     WHERE c.figures IS NULL OR k.figures IS NULL OR c.figures <> k.figures
  )
  SELECT period, to_char(period_start, 'YYYY-MM-DD') AS period_start, dimension, district, campaign_id::text, voucher_type_id::text, category,
         counted, kept, count(*) OVER ()::bigint AS total
    FROM differing
   ORDER BY period, period_start, dimension, district, campaign_id, voucher_type_id, category
   LIMIT $3`;
