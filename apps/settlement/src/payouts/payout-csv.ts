/**
 * The two CSV files of a payment: the payout file the bureau sends the bank, and the result
 * file the bank sends back (fields written with csvLine of @vouchers/common).
 */
export const PAYOUT_CSV_COLUMNS = [
  'line_id',
  'batch_id',
  'business_date',
  'merchant_id',
  'credit_code',
  'bank_account_name',
  'bank_name',
  'bank_account_number',
  'bank_account_masked',
  'amount_fen',
  'amount_yuan',
  'city_fen',
  'district_fen',
] as const;

export const PAYOUT_CSV_HEADER = PAYOUT_CSV_COLUMNS.join(',');

/** The bank's answer, one row per line of the payout file: paid, or failed with a reason. */
export const RESULT_CSV_COLUMNS = ['line_id', 'result', 'reason'] as const;

export const RESULT_CSV_HEADER = RESULT_CSV_COLUMNS.join(',');
