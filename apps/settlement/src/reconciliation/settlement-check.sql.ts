/**
 * The settlement lines of the batches of business days $1..$2 against the rows they were
 * built from, set-based (apps/settlement/src/build/build-chunk.sql.ts is what it re-checks).
 *
 * A line's gross is the discount of the redemptions tied to it that still stood when it was
 * built. A refund before the build took the discount back with a ledger reversal and no
 * clawback; one after it left the line alone and made a clawback instead. So the standing
 * part is: the tied redemptions' discount less what refunds WITHOUT a clawback took back.
 * (The redemption's status cannot say it: a refund after settlement changes it too.) The
 * funding split is rebuilt the same way, plus carried lines, less netted clawbacks.
 *
 * Per line:  amount = gross + carried − clawback; city + district = amount; gross, city and
 *            district as rebuilt; redemption_count = tied redemptions; carried = the lines it
 *            took over; clawback = the clawbacks it netted.
 * Per batch that finished building: line_count and redemption_count = its lines'.
 * Per redemption of the range: tied to a line of its own day's batch once that batch is built.
 *
 * Tied redemptions are looked up among the range's redemptions (business_date index), not by
 * settlement_line_id over the whole table: the build ties a day's redemptions to that day's
 * lines only, and a redemption tied to another day's line is listed (tied_to_other_day).
 * A refund is never dated before its redemption, so refunds before $1 are skipped.
 *
 * Output: check 'settlement_lines', kind, ref_type, ref_id, expected, actual, unit, total
 * (total = all differences; only the first $3 are returned).
 */
export const SETTLEMENT_CHECK = `
  WITH batches AS (
    SELECT b.id, b.public_id, b.business_date, b.status, b.line_count, b.redemption_count
      FROM settlement_batches b WHERE b.business_date BETWEEN $1::date AND $2::date
  ), lines AS (
    SELECT l.id, l.public_id, b.business_date, l.redemption_count, l.gross_fen, l.carried_fen, l.clawback_fen,
           l.amount_fen, l.city_fen, l.district_fen
      FROM batches b JOIN settlement_lines l ON l.batch_id = b.id
  ), reversed AS (
    SELECT f.redemption_id, sum(f.discount_reversed_fen) AS discount, sum(f.city_fen) AS city, sum(f.district_fen) AS district
      FROM refunds f
     WHERE f.business_date >= $1::date AND f.discount_reversed_fen > 0
       AND NOT EXISTS (SELECT 1 FROM clawbacks c WHERE c.refund_id = f.id)
     GROUP BY f.redemption_id
  ), tied AS (
    SELECT r.settlement_line_id AS line_id, count(*) AS n,
           sum(r.discount_fen - COALESCE(v.discount, 0))::bigint AS gross,
           sum(r.city_fen - COALESCE(v.city, 0))::bigint AS city,
           sum(r.district_fen - COALESCE(v.district, 0))::bigint AS district
      FROM redemptions r
      LEFT JOIN reversed v ON v.redemption_id = r.id
     WHERE r.business_date BETWEEN $1::date AND $2::date AND r.settlement_line_id IS NOT NULL
     GROUP BY r.settlement_line_id
  ), carried AS (
    SELECT f.carried_into_line_id AS line_id, sum(f.amount_fen)::bigint AS amount,
           sum(f.city_fen)::bigint AS city, sum(f.district_fen)::bigint AS district
      FROM settlement_lines f
     WHERE f.carried_into_line_id IN (SELECT id FROM lines)
     GROUP BY f.carried_into_line_id
  ), netted AS (
    SELECT c.settlement_line_id AS line_id, sum(c.amount_fen)::bigint AS amount,
           sum(c.city_fen)::bigint AS city, sum(c.district_fen)::bigint AS district
      FROM clawbacks c
     WHERE c.settlement_line_id IN (SELECT id FROM lines)
     GROUP BY c.settlement_line_id
  ), differences AS (
    SELECT d.kind, 'settlement_line' AS ref_type, l.public_id AS ref_id, d.expected, d.actual, d.unit
      FROM lines l
      LEFT JOIN tied t ON t.line_id = l.id
      LEFT JOIN carried k ON k.line_id = l.id
      LEFT JOIN netted c ON c.line_id = l.id
     CROSS JOIN LATERAL (VALUES
       ('amount', l.gross_fen + l.carried_fen - l.clawback_fen, l.amount_fen, 'fen'),
       ('funding_split', l.amount_fen, l.city_fen + l.district_fen, 'fen'),
       ('gross', COALESCE(t.gross, 0), l.gross_fen, 'fen'),
       ('carried', COALESCE(k.amount, 0), l.carried_fen, 'fen'),
       ('clawback', COALESCE(c.amount, 0), l.clawback_fen, 'fen'),
       ('city', COALESCE(t.city, 0) + COALESCE(k.city, 0) - COALESCE(c.city, 0), l.city_fen, 'fen'),
       ('district', COALESCE(t.district, 0) + COALESCE(k.district, 0) - COALESCE(c.district, 0), l.district_fen, 'fen'),
       ('redemption_count', COALESCE(t.n, 0), l.redemption_count::bigint, 'count')
     ) AS d(kind, expected, actual, unit)
     WHERE d.expected <> d.actual
    UNION ALL
    SELECT d.kind, 'settlement_batch', b.public_id, d.expected, d.actual, 'count'
      FROM batches b
      LEFT JOIN (SELECT l.batch_id, count(*) AS lines, sum(l.redemption_count) AS redemptions
                   FROM settlement_lines l WHERE l.batch_id IN (SELECT id FROM batches) GROUP BY l.batch_id) s ON s.batch_id = b.id
     CROSS JOIN LATERAL (VALUES
       ('batch_line_count', COALESCE(s.lines, 0)::bigint, b.line_count::bigint),
       ('batch_redemption_count', COALESCE(s.redemptions, 0)::bigint, b.redemption_count::bigint)
     ) AS d(kind, expected, actual)
     WHERE b.status <> 'building' AND d.expected <> d.actual
    UNION ALL
    SELECT CASE WHEN r.settlement_line_id IS NULL THEN 'not_settled' ELSE 'tied_to_other_day' END,
           'redemption', r.public_id, NULL::bigint, NULL::bigint, NULL
      FROM redemptions r
      LEFT JOIN batches b ON b.business_date = r.business_date
      LEFT JOIN lines l ON l.id = r.settlement_line_id
     WHERE r.business_date BETWEEN $1::date AND $2::date
       AND CASE WHEN r.settlement_line_id IS NULL THEN b.status IS NOT NULL AND b.status <> 'building'
                ELSE l.business_date IS DISTINCT FROM r.business_date END
  )
  SELECT 'settlement_lines' AS check_name, d.*, count(*) OVER () AS total
    FROM differences d
   ORDER BY d.ref_type, d.ref_id, d.kind
   LIMIT $3`;
