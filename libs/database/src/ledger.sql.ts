/**
 * One posting's legs, one row each, set-based (postToLedger has checked that they balance).
 *
 * $1 posting id, $2 accounts, $3 debits (fen), $4 credits (fen) (one array element per leg), $5 ref type, $6 ref id.
 */
export const INSERT_POSTING = `
  INSERT INTO ledger_entries (posting_id, account, debit_fen, credit_fen, ref_type, ref_id)
  SELECT $1::uuid, unnest($2::text[]), unnest($3::bigint[]), unnest($4::bigint[]), $5::text, $6::uuid`;
