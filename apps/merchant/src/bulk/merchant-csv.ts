/**
 * The registry's CSV shape, shared by the import and the export: these columns, in this
 * order, as the header line. In an export, bank_account_number holds the masked form.
 */
export const MERCHANT_CSV_COLUMNS = [
  'credit_code',
  'registered_name',
  'shop_name',
  'district',
  'category',
  'address',
  'latitude',
  'longitude',
  'contact_phone',
  'bank_account_name',
  'bank_name',
  'bank_account_number',
] as const;

export const MERCHANT_CSV_HEADER = MERCHANT_CSV_COLUMNS.join(',');

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
 * Free text typed by merchants (names, addresses) goes to officials who open the file in a
 * spreadsheet: a leading =, +, -, @ would run as a formula there (CSV injection), so such
 * a value is exported behind a single quote, which spreadsheets show as text.
 */
export function inertText(value: string | null): string | null {
  return value !== null && FORMULA_START.test(value) ? `'${value}` : value;
}
