/**
 * The two CSV files of a payment: the payout file the bureau sends the bank, and the result
 * file the bank sends back. (The field helpers repeat apps/merchant's merchant-csv.ts: apps
 * do not import each other.)
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

const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field: quoted (quotes doubled) only when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated as RFC 4180 and spreadsheet programs expect. */
export function csvLine(values: ReadonlyArray<string | number | null>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text that came from merchants (account names, bank names) goes to officials who open the
 * file in a spreadsheet: a leading =, +, -, @ would run as a formula there (CSV injection),
 * so such a value is written behind a single quote, which spreadsheets show as text.
 */
export function inertText(value: string | null): string | null {
  return value !== null && FORMULA_START.test(value) ? `'${value}` : value;
}
