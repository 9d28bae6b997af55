/**
 * The whole ledger in one pass: how many postings, and all debits and all credits. No
 * parameters. Returns "postings", "debit" and "credit" (bigint and numeric: text).
 */
export const LEDGER_TOTALS = `
  SELECT count(DISTINCT posting_id) AS postings, COALESCE(sum(debit_fen), 0) AS debit, COALESCE(sum(credit_fen), 0) AS credit
    FROM ledger_entries`;

/**
 * The postings whose legs do not balance, the first thousand by id, with debits − credits.
 * No parameters. Returns "postingId" and "difference" (numeric: text).
 */
export const IMBALANCED_POSTINGS = `
  SELECT posting_id AS "postingId", sum(debit_fen) - sum(credit_fen) AS difference
    FROM ledger_entries
   GROUP BY posting_id
  HAVING sum(debit_fen) <> sum(credit_fen)
   ORDER BY posting_id
   LIMIT 1000`;
