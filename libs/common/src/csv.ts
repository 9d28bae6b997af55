/** Writing CSV for people and banks: the merchant export, the payout file, reconciliation reports. */

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
 * Free text typed by people (names, addresses, account names) goes to officials who open the
 * file in a spreadsheet: a leading =, +, -, @ would run as a formula there (CSV injection), so
 * such a value is written behind a single quote, which spreadsheets show as text.
 */
export function inertText<T extends string | null>(value: T): T {
  return (value !== null && FORMULA_START.test(value) ? `'${value}` : value) as T;
}
