/**
 * The whole ledger in one pass, by posting: how many postings, all debits and all credits, the
 * sum of every posting's |debits − credits| and how many postings do not balance. No
 * parameters. Returns "postings", "debit", "credit", "imbalance" and "imbalanced" (bigint and
 * numeric: text).
 */
export const LEDGER_TOTALS = `
  SELECT count(*) AS postings, COALESCE(sum(debit), 0) AS debit, COALESCE(sum(credit), 0) AS credit,
         COALESCE(sum(abs(debit - credit)), 0) AS imbalance, count(*) FILTER (WHERE debit <> credit) AS imbalanced
    FROM (SELECT sum(debit_fen) AS debit, sum(credit_fen) AS credit FROM ledger_entries GROUP BY posting_id) p`;

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
