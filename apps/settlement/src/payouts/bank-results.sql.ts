/**
 * The statements of a bank result file, each over all the lines the file decides at once
 * (BankResults, inside its transaction and under the batch lock).
 */

/**
 * Lines the bank paid: still pending, now paid.
 *
 * $1 batch id, $2 the lines' ids. Returns the id of each line marked.
 */
export const MARK_LINES_PAID = `
  UPDATE settlement_lines SET status = 'paid', paid_at = now()
   WHERE batch_id = $1::bigint AND id = ANY($2::bigint[]) AND status = 'pending'
  RETURNING id`;

/**
 * One posting per paid line (what the merchant was owed goes out: debit its payable account,
 * credit paid_out, by the line's amount), so every posting balances by construction.
 *
 * $1 posting ids, $2 line public ids, $3 payable accounts, $4 amounts (fen) (one element per line), $5 the paid-out account.
 */
export const POST_LINE_PAYMENTS = `
  INSERT INTO ledger_entries (posting_id, account, debit_fen, credit_fen, ref_type, ref_id)
  SELECT p.posting_id, leg.account, leg.debit, leg.credit, 'settlement_line', p.line_id
    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[]) AS p(posting_id, line_id, payable, amount)
   CROSS JOIN LATERAL (VALUES (p.payable, p.amount, 0::bigint), ($5::text, 0::bigint, p.amount)) AS leg(account, debit, credit)`;

/**
 * Lines the bank could not pay: still pending, now failed with the bank's reason (the next
 * batch's build takes them over).
 *
 * $1 batch id, $2 the lines' ids, $3 their reasons (one element per line). Returns the id of each line marked.
 */
export const MARK_LINES_FAILED = `
  UPDATE settlement_lines l SET status = 'failed', failure_reason = v.reason
    FROM unnest($2::bigint[], $3::text[]) AS v(id, reason)
   WHERE l.batch_id = $1::bigint AND l.id = v.id AND l.status = 'pending'
  RETURNING l.id`;

/**
 * Adds a file's amounts to its batch; a paying batch with no line left to pay becomes
 * partly_failed when one of its lines failed, else paid.
 *
 * $1 batch id, $2 fen newly paid, $3 fen newly failed. Returns the batch's "status".
 */
export const SETTLE_BATCH = `
  UPDATE settlement_batches b
     SET paid_fen = b.paid_fen + $2::bigint, failed_fen = b.failed_fen + $3::bigint,
         status = CASE
           WHEN b.status <> 'paying'
             OR EXISTS (SELECT 1 FROM settlement_lines WHERE batch_id = b.id AND status = 'pending' AND amount_fen > 0) THEN b.status
           WHEN EXISTS (SELECT 1 FROM settlement_lines WHERE batch_id = b.id AND status = 'failed') THEN 'partly_failed'
           ELSE 'paid' END
   WHERE b.id = $1::bigint
  RETURNING b.status`;
