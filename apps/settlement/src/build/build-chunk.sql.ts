/**
 * One chunk of a batch's build: the merchants with ids in [$4, $5) ($5 null: no upper bound),
 * set-based. Per merchant it adds up the day's unsettled redemptions (those whose discount
 * still stands count towards gross; all are tied to the line), takes over lines of earlier
 * batches that failed or were held, and nets the merchant's open clawbacks when the line
 * covers them (otherwise they wait for a later batch). It writes the lines (status held when
 * the merchant is not approved now; paid at once when there is nothing to pay), ties every
 * redemption, carried line and netted clawback to its line, posts the netting to the ledger
 * and records the chunk, all in the caller's transaction.
 *
 * Builds of other days may run at the same time over the same merchants, and each would read
 * the same open failed lines and clawbacks from its snapshot. So those rows are locked first
 * (in id order), and a line adds up only the rows it locked and then ties: a build that waited
 * on another's lock finds the rows taken once it commits (Postgres re-checks a locked row's
 * condition on its newest version) and carries or nets nothing of them.
 *
 * $1 batch id, $2 business date, $3 chunk number, $4 first merchant id, $5 merchant id past the last;
 * the ledger's account prefixes, from ledgerAccounts: $6 a merchant's payable, $7 its clawback account.
 */
export const BUILD_CHUNK = `
  WITH day AS (
    SELECT r.merchant_id, count(*)::int AS n,
           COALESCE(sum(r.discount_fen) FILTER (WHERE r.status IN ('completed', 'partly_refunded')), 0) AS gross,
           COALESCE(sum(r.city_fen) FILTER (WHERE r.status IN ('completed', 'partly_refunded')), 0) AS city,
           COALESCE(sum(r.district_fen) FILTER (WHERE r.status IN ('completed', 'partly_refunded')), 0) AS district
      FROM redemptions r
     WHERE r.business_date = $2::date AND r.settlement_line_id IS NULL
       AND r.merchant_id >= $4::bigint AND ($5::bigint IS NULL OR r.merchant_id < $5::bigint)
     GROUP BY r.merchant_id
  ), open_lines AS MATERIALIZED (
    SELECT l.id, l.merchant_id, l.amount_fen, l.city_fen, l.district_fen
      FROM settlement_lines l
     WHERE l.status IN ('failed', 'held') AND l.carried_into_line_id IS NULL AND l.batch_id <> $1::bigint
       AND l.merchant_id >= $4::bigint AND ($5::bigint IS NULL OR l.merchant_id < $5::bigint)
     ORDER BY l.id
       FOR UPDATE
  ), carried AS (
    SELECT merchant_id, sum(amount_fen) AS amount, sum(city_fen) AS city, sum(district_fen) AS district
      FROM open_lines GROUP BY merchant_id
  ), open_claws AS MATERIALIZED (
    SELECT c.id, c.merchant_id, c.amount_fen, c.city_fen, c.district_fen
      FROM clawbacks c
     WHERE c.settlement_line_id IS NULL
       AND c.merchant_id >= $4::bigint AND ($5::bigint IS NULL OR c.merchant_id < $5::bigint)
     ORDER BY c.id
       FOR UPDATE
  ), claws AS (
    SELECT merchant_id, sum(amount_fen) AS amount, sum(city_fen) AS city, sum(district_fen) AS district
      FROM open_claws GROUP BY merchant_id
  ), owed AS (
    SELECT m.id AS merchant_id, m.status AS merchant_status, m.credit_code, m.bank_account_name, m.bank_name,
           m.bank_account_cipher, m.bank_account_masked,
           COALESCE(d.n, 0) AS n, COALESCE(d.gross, 0) AS gross,
           COALESCE(k.amount, 0) AS carried,
           COALESCE(d.city, 0) + COALESCE(k.city, 0) AS city,
           COALESCE(d.district, 0) + COALESCE(k.district, 0) AS district,
           COALESCE(c.amount, 0) AS claw, COALESCE(c.city, 0) AS claw_city, COALESCE(c.district, 0) AS claw_district
      FROM merchants m
      LEFT JOIN day d ON d.merchant_id = m.id
      LEFT JOIN carried k ON k.merchant_id = m.id
      LEFT JOIN claws c ON c.merchant_id = m.id
     WHERE m.id >= $4::bigint AND ($5::bigint IS NULL OR m.id < $5::bigint)
       AND (d.merchant_id IS NOT NULL OR k.merchant_id IS NOT NULL OR c.merchant_id IS NOT NULL)
  ), shaped AS (
    SELECT o.*,
           CASE WHEN o.claw <= o.gross + o.carried AND o.claw_city <= o.city AND o.claw_district <= o.district
                THEN o.claw ELSE 0 END AS netted
      FROM owed o
  ), lines AS (
    INSERT INTO settlement_lines (public_id, batch_id, merchant_id, redemption_count, gross_fen, carried_fen, clawback_fen,
                                  amount_fen, city_fen, district_fen, status, paid_at, credit_code, bank_account_name,
                                  bank_name, bank_account_cipher, bank_account_masked)
    SELECT gen_random_uuid(), $1::bigint, s.merchant_id, s.n, s.gross, s.carried, s.netted,
           s.gross + s.carried - s.netted,
           s.city - CASE WHEN s.netted > 0 THEN s.claw_city ELSE 0 END,
           s.district - CASE WHEN s.netted > 0 THEN s.claw_district ELSE 0 END,
           CASE WHEN s.gross + s.carried - s.netted = 0 THEN 'paid' WHEN s.merchant_status = 'approved' THEN 'pending' ELSE 'held' END,
           CASE WHEN s.gross + s.carried - s.netted = 0 THEN now() END,
           s.credit_code, s.bank_account_name, s.bank_name, s.bank_account_cipher, s.bank_account_masked
      FROM shaped s
    ON CONFLICT (batch_id, merchant_id) DO NOTHING
    RETURNING id, public_id, merchant_id, clawback_fen
  ), tied AS (
    UPDATE redemptions r SET settlement_line_id = l.id
      FROM lines l
     WHERE r.merchant_id = l.merchant_id AND r.business_date = $2::date AND r.settlement_line_id IS NULL
    RETURNING r.id
  ), took_over AS (
    UPDATE settlement_lines f SET carried_into_line_id = l.id
      FROM lines l JOIN open_lines o ON o.merchant_id = l.merchant_id
     WHERE f.id = o.id
  ), netted AS (
    UPDATE clawbacks c SET settlement_line_id = l.id
      FROM lines l JOIN open_claws o ON o.merchant_id = l.merchant_id
     WHERE c.id = o.id AND l.clawback_fen > 0
  ), netting_posted AS (
    INSERT INTO ledger_entries (posting_id, account, debit_fen, credit_fen, ref_type, ref_id)
    SELECT p.posting_id, leg.account, leg.debit, leg.credit, 'settlement_line', p.line_public_id
      FROM (SELECT gen_random_uuid() AS posting_id, m.public_id AS merchant_public_id, l.clawback_fen, l.public_id AS line_public_id
              FROM lines l JOIN merchants m ON m.id = l.merchant_id
             WHERE l.clawback_fen > 0) p
     CROSS JOIN LATERAL (VALUES ($6::text || p.merchant_public_id, p.clawback_fen, 0::bigint),
                                ($7::text || p.merchant_public_id, 0::bigint, p.clawback_fen)) AS leg(account, debit, credit)
  ), chunk AS (
    INSERT INTO settlement_chunks (batch_id, chunk_no, line_count) SELECT $1::bigint, $3::int, count(*) FROM lines
  )
  SELECT (SELECT count(*) FROM lines)::int AS lines, (SELECT count(*) FROM tied)::int AS redemptions`;
