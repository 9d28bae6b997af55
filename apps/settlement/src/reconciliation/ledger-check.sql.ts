/**
 * The ledger against the rows, for business days $1..$2, in one statement and one pass over
 * ledger_entries (set-based: hash joins and aggregates, no per-row subqueries).
 *
 * Scope: the postings whose ref_id is a redemption of the range, a refund of the range, the
 * clawback of such a refund, or a line of a batch of the range, whatever their ref_type.
 * Every leg is classed by its account against the ref's merchant: budget:city, the budget of
 * its district at the redemption (the row's merchant_district: a redemption's, or a refund's and
 * its clawback's, which keep their redemption's), its own payable, its own clawback account,
 * paid_out, or anything else.
 * The account names come from ledgerAccounts: $4 the city's budget, $5 the prefix of a
 * district's budget, $6 of a merchant's payable, $7 of its clawback account, $8 paid-out.
 *
 * Then per ref and ref_type the ledger's net amounts per class are set against what the row
 * says the posting must be (signs: budgets net debit, the merchant accounts and paid_out net
 * credit):
 *   redemption       +city_fen, +district_fen, payable +discount_fen                (ref_type redemption)
 *   refund           −city, −district, payable −discount_reversed, when it took the discount back
 *                    and made no clawback; otherwise nothing               (ref_type refund)
 *   clawback         −city, −district, clawback account −amount_fen             (ref_type clawback)
 *   settlement line  clawback account +clawback_fen (the netting), paid_out +amount_fen when
 *                    the line is paid (the payment); the payable leg follows from balance (ref_type settlement_line)
 * Row checks beside the ledger: a redemption's city + district = discount (funding_split); a
 * refund's clawback takes back what the refund says (clawback_amount, clawback_city) and its
 * city + district = amount (clawback_split).
 * A posting of any ref_type whose legs do not balance is listed with its id (a posting is its
 * legs under one posting_id and one ref, as postToLedger and the SQL postings write them); a
 * posting of one of those four types hung on the wrong kind of ref is listed as unexpected.
 *
 * Output, one row per:
 *   section 'difference': check, kind, ref_type, ref_id, posting_id, expected, actual, total
 *     (total = all differences of that check; only the first $3 of each check are returned);
 *   section 'funding': kind = city | district | district:<d>; expected/actual = the rows' and
 *     the ledger's budget debits for the range's redemptions; expected_reversed/actual_reversed
 *     = the rows' and the ledger's budget credits for the range's reversals and clawbacks.
 *
 * Shape of the plan (measured on one day of 2,000,000 redemptions, 6.5 million legs): a
 * parallel hash join of the legs to the refs, one sort of the legs by (ref, posting) feeding
 * both aggregates (per posting, then per ref), a hash full join with the rows' expectations
 * (a ref without any posting must show up too), then `compared` is kept (narrow: a jsonb is
 * built only for suspect refs) so the funding sums (a dozen hash groups) and the suspects
 * (a filter) each read it once more.
 */
export const LEDGER_CHECK = `
  WITH scope AS (
    SELECT r.public_id AS ref_id, r.merchant_id, r.merchant_district FROM redemptions r WHERE r.business_date BETWEEN $1::date AND $2::date
    UNION ALL
    SELECT f.public_id, f.merchant_id, f.merchant_district FROM refunds f WHERE f.business_date BETWEEN $1::date AND $2::date
    UNION ALL
    SELECT c.public_id, c.merchant_id, f.merchant_district FROM refunds f JOIN clawbacks c ON c.refund_id = f.id WHERE f.business_date BETWEEN $1::date AND $2::date
    UNION ALL
    SELECT l.public_id, l.merchant_id, NULL FROM settlement_batches b JOIN settlement_lines l ON l.batch_id = b.id
     WHERE b.business_date BETWEEN $1::date AND $2::date
  ), legs AS (
    SELECT e.ref_id, e.ref_type, e.posting_id, e.debit_fen, e.credit_fen,
           CASE e.account WHEN $4::text THEN 1
                          WHEN $5::text || s.merchant_district THEN 2
                          WHEN $6::text || m.public_id THEN 3
                          WHEN $7::text || m.public_id THEN 4
                          WHEN $8::text THEN 5
                          ELSE 6 END AS class
      FROM ledger_entries e
      JOIN scope s ON s.ref_id = e.ref_id
      JOIN merchants m ON m.id = s.merchant_id
  ), posted AS (
    SELECT ref_id, ref_type, posting_id,
           sum(debit_fen)::bigint AS debit, sum(credit_fen)::bigint AS credit,
           COALESCE(sum(debit_fen - credit_fen) FILTER (WHERE class = 1), 0)::bigint AS city,
           COALESCE(sum(debit_fen - credit_fen) FILTER (WHERE class = 2), 0)::bigint AS district,
           COALESCE(sum(credit_fen - debit_fen) FILTER (WHERE class = 3), 0)::bigint AS payable,
           COALESCE(sum(credit_fen - debit_fen) FILTER (WHERE class = 4), 0)::bigint AS clawback,
           COALESCE(sum(credit_fen - debit_fen) FILTER (WHERE class = 5), 0)::bigint AS paid_out,
           COALESCE(sum(debit_fen + credit_fen) FILTER (WHERE class = 6), 0)::bigint AS other
      FROM legs
     GROUP BY ref_id, ref_type, posting_id
  ), per_ref AS (
    SELECT ref_id, ref_type,
           sum(city)::bigint AS city, sum(district)::bigint AS district, sum(payable)::bigint AS payable,
           sum(clawback)::bigint AS clawback, sum(paid_out)::bigint AS paid_out, sum(other)::bigint AS other,
           sum(debit)::bigint AS debit,
           jsonb_agg(jsonb_build_object('id', posting_id, 'debit', debit, 'credit', credit)) FILTER (WHERE debit <> credit) AS unbalanced
      FROM posted
     GROUP BY ref_id, ref_type
  ), expected AS (
    SELECT 'redemptions' AS chk, 'redemption' AS ref_type, r.public_id AS ref_id, r.merchant_district,
           r.discount_fen AS total, r.city_fen AS city, r.district_fen AS district, r.discount_fen AS payable,
           0::bigint AS clawback, 0::bigint AS paid_out,
           'funding_split' AS row_kind, r.discount_fen AS row_expected, r.city_fen + r.district_fen AS row_actual,
           NULL AS row2_kind, NULL::bigint AS row2_expected, NULL::bigint AS row2_actual
      FROM redemptions r
     WHERE r.business_date BETWEEN $1::date AND $2::date
    UNION ALL
    SELECT 'refunds', 'refund', f.public_id, f.merchant_district,
           w.amount, -w.city, -w.district, -w.amount, 0, 0,
           'clawback_amount', CASE WHEN c.id IS NULL THEN 0 ELSE f.discount_reversed_fen END, COALESCE(c.amount_fen, 0),
           'clawback_city', CASE WHEN c.id IS NULL THEN 0 ELSE f.city_fen END, COALESCE(c.city_fen, 0)
      FROM refunds f
      LEFT JOIN clawbacks c ON c.refund_id = f.id
     CROSS JOIN LATERAL (SELECT CASE WHEN c.id IS NULL THEN f.discount_reversed_fen ELSE 0 END AS amount,
                                CASE WHEN c.id IS NULL THEN f.city_fen ELSE 0 END AS city,
                                CASE WHEN c.id IS NULL THEN f.district_fen ELSE 0 END AS district) w
     WHERE f.business_date BETWEEN $1::date AND $2::date
    UNION ALL
    SELECT 'refunds', 'clawback', c.public_id, f.merchant_district,
           c.amount_fen, -c.city_fen, -c.district_fen, 0, -c.amount_fen, 0,
           'clawback_split', c.amount_fen, c.city_fen + c.district_fen,
           NULL, NULL, NULL
      FROM refunds f
      JOIN clawbacks c ON c.refund_id = f.id
     WHERE f.business_date BETWEEN $1::date AND $2::date
    UNION ALL
    SELECT 'payments', 'settlement_line', l.public_id, NULL,
           l.clawback_fen + w.paid, 0, 0, NULL, l.clawback_fen, w.paid,
           NULL, NULL, NULL, NULL, NULL, NULL
      FROM settlement_batches b
      JOIN settlement_lines l ON l.batch_id = b.id
     CROSS JOIN LATERAL (SELECT CASE WHEN l.status = 'paid' THEN l.amount_fen ELSE 0 END AS paid) w
     WHERE b.business_date BETWEEN $1::date AND $2::date
  ), compared AS MATERIALIZED (
    SELECT x.chk, x.merchant_district, x.city AS exp_city, x.district AS exp_district,
           COALESCE(p.city, 0) AS city, COALESCE(p.district, 0) AS district,
           CASE WHEN CASE
                       WHEN x.ref_id IS NULL THEN p.unbalanced IS NOT NULL OR p.ref_type IN ('redemption', 'refund', 'clawback', 'settlement_line')
                       WHEN p.ref_id IS NULL THEN x.total <> 0 OR x.city <> 0 OR x.district <> 0 OR x.clawback <> 0 OR x.paid_out <> 0
                                               OR x.row_expected IS DISTINCT FROM x.row_actual OR x.row2_expected IS DISTINCT FROM x.row2_actual
                       ELSE p.unbalanced IS NOT NULL OR x.row_expected IS DISTINCT FROM x.row_actual OR p.other <> 0
                         OR x.row2_expected IS DISTINCT FROM x.row2_actual
                         OR x.city <> p.city OR x.district <> p.district OR x.payable <> p.payable
                         OR x.clawback <> p.clawback OR x.paid_out <> p.paid_out
                     END
                THEN jsonb_build_object(
                  'chk', x.chk, 'ref_type', COALESCE(x.ref_type, p.ref_type), 'ref_id', COALESCE(x.ref_id, p.ref_id),
                  'expected', x.ref_id IS NOT NULL, 'posted', p.ref_id IS NOT NULL, 'total', x.total,
                  'exp_city', x.city, 'exp_district', x.district, 'exp_payable', x.payable,
                  'exp_clawback', x.clawback, 'exp_paid_out', x.paid_out,
                  'row_kind', x.row_kind, 'row_expected', x.row_expected, 'row_actual', x.row_actual,
                  'row2_kind', x.row2_kind, 'row2_expected', x.row2_expected, 'row2_actual', x.row2_actual,
                  'city', p.city, 'district', p.district, 'payable', p.payable, 'clawback', p.clawback,
                  'paid_out', p.paid_out, 'other', p.other, 'debit', p.debit, 'unbalanced', p.unbalanced)
           END AS suspect
      FROM expected x
      FULL JOIN per_ref p ON p.ref_id = x.ref_id AND p.ref_type = x.ref_type
  ), funding AS (
    SELECT GROUPING(c.merchant_district) AS total_row, c.merchant_district,
           COALESCE(sum(c.exp_city) FILTER (WHERE c.chk = 'redemptions'), 0)::bigint AS red_city_rows,
           COALESCE(sum(c.city) FILTER (WHERE c.chk = 'redemptions'), 0)::bigint AS red_city_ledger,
           COALESCE(sum(c.exp_district) FILTER (WHERE c.chk = 'redemptions'), 0)::bigint AS red_district_rows,
           COALESCE(sum(c.district) FILTER (WHERE c.chk = 'redemptions'), 0)::bigint AS red_district_ledger,
           COALESCE(sum(-c.exp_city) FILTER (WHERE c.chk = 'refunds'), 0)::bigint AS rev_city_rows,
           COALESCE(sum(-c.city) FILTER (WHERE c.chk = 'refunds'), 0)::bigint AS rev_city_ledger,
           COALESCE(sum(-c.exp_district) FILTER (WHERE c.chk = 'refunds'), 0)::bigint AS rev_district_rows,
           COALESCE(sum(-c.district) FILTER (WHERE c.chk = 'refunds'), 0)::bigint AS rev_district_ledger
      FROM compared c
     WHERE c.chk IN ('redemptions', 'refunds')
     GROUP BY GROUPING SETS ((), (c.merchant_district))
  ), suspects AS (
    SELECT s.* FROM compared c
     CROSS JOIN LATERAL jsonb_to_record(c.suspect) AS s(
       chk text, ref_type text, ref_id uuid, expected boolean, posted boolean, total bigint,
       exp_city bigint, exp_district bigint, exp_payable bigint, exp_clawback bigint, exp_paid_out bigint,
       row_kind text, row_expected bigint, row_actual bigint, row2_kind text, row2_expected bigint, row2_actual bigint,
       city bigint, district bigint, payable bigint, clawback bigint, paid_out bigint, other bigint, debit bigint,
       unbalanced jsonb)
     WHERE c.suspect IS NOT NULL
  ), differences AS (
    SELECT s.chk AS check_name, d.kind, s.ref_type, s.ref_id, NULL::uuid AS posting_id, d.expected, d.actual
      FROM suspects s
     CROSS JOIN LATERAL (VALUES
       ('posting_missing', s.total, 0::bigint, NOT s.posted),
       ('city_debit', s.exp_city, s.city, s.posted),
       ('district_debit', s.exp_district, s.district, s.posted),
       ('payable_credit', s.exp_payable, s.payable, s.posted AND s.exp_payable IS NOT NULL),
       ('clawback_credit', s.exp_clawback, s.clawback, s.posted),
       (CASE WHEN s.paid_out = 0 THEN 'payment_posting_missing' ELSE 'paid_out_credit' END, s.exp_paid_out, s.paid_out, s.posted),
       ('unexpected_account', 0::bigint, s.other, s.posted),
       (s.row_kind, s.row_expected, s.row_actual, s.row_kind IS NOT NULL),
       (s.row2_kind, s.row2_expected, s.row2_actual, s.row2_kind IS NOT NULL)
     ) AS d(kind, expected, actual, applies)
     WHERE s.expected AND d.applies AND d.expected IS DISTINCT FROM d.actual
    UNION ALL
    SELECT 'postings', 'unexpected_posting', s.ref_type, s.ref_id, NULL, 0, s.debit
      FROM suspects s
     WHERE NOT s.expected AND s.ref_type IN ('redemption', 'refund', 'clawback', 'settlement_line')
    UNION ALL
    SELECT 'postings', 'unbalanced', s.ref_type, s.ref_id, b.id, b.debit, b.credit
      FROM suspects s
     CROSS JOIN LATERAL jsonb_to_recordset(s.unbalanced) AS b(id uuid, debit bigint, credit bigint)
     WHERE jsonb_typeof(s.unbalanced) = 'array'
  ), ranked AS (
    SELECT d.*, count(*) OVER (PARTITION BY d.check_name) AS total,
           row_number() OVER (PARTITION BY d.check_name ORDER BY d.ref_id, d.kind, d.posting_id) AS n
      FROM differences d
  )
  SELECT 'difference' AS section, r.check_name, r.kind, r.ref_type, r.ref_id, r.posting_id,
         r.expected, r.actual, NULL::bigint AS expected_reversed, NULL::bigint AS actual_reversed, r.total
    FROM ranked r
   WHERE r.n <= $3
  UNION ALL
  SELECT 'funding', NULL, src.kind, NULL, NULL, NULL, src.expected, src.actual, src.expected_reversed, src.actual_reversed, NULL
    FROM funding f
   CROSS JOIN LATERAL (VALUES
     ('city', f.red_city_rows, f.red_city_ledger, f.rev_city_rows, f.rev_city_ledger, f.total_row = 1),
     ('district', f.red_district_rows, f.red_district_ledger, f.rev_district_rows, f.rev_district_ledger, f.total_row = 1),
     ('district:' || f.merchant_district, f.red_district_rows, f.red_district_ledger, f.rev_district_rows, f.rev_district_ledger,
      f.total_row = 0)
   ) AS src(kind, expected, actual, expected_reversed, actual_reversed, applies)
   WHERE src.applies
   ORDER BY section, check_name, ref_id, kind, posting_id`;
