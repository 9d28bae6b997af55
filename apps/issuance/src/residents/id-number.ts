import { createHmac } from 'node:crypto';
import { ResidentErrorCode } from './resident-errors';

/**
 * Resident identity card numbers (公民身份号码, GB 11643-1999), 18 characters:
 *   1-6    address code, whose first two digits are the province (PROVINCE_RANGES)
 *   7-14   birth date, YYYYMMDD
 *   15-17  sequence number
 *   18     check character, ISO 7064 MOD 11-2 over the first 17 digits (0-9 or X)
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/**
 * The rule for the address code: its first two digits must be a province-level code of
 * GB/T 2260: 11-15 (North), 21-23 (North-east), 31-37 (East), 41-46 (Central-south),
 * 50-54 (South-west), 61-65 (North-west), 71 (Taiwan), 81 (Hong Kong), 82 (Macau).
 * Counties are not checked: their codes change year by year, and a stale table would shut
 * out residents whose numbers were issued under a code that has since been retired.
 */
const PROVINCE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [11, 15],
  [21, 23],
  [31, 37],
  [41, 46],
  [50, 54],
  [61, 65],
  [71, 71],
  [81, 82],
];

const EARLIEST_BIRTH_DATE = '19000101';
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** The check character for 17 digits, or null when they are not 17 ASCII digits. */
export function idNumberCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function isKnownProvince(code: string): boolean {
  const province = Number(code.slice(0, 2));
  return PROVINCE_RANGES.some(([from, to]) => province >= from && province <= to);
}

/** Today's date in China (UTC+8 all year, no daylight saving) as YYYYMMDD. */
export function chinaToday(now: number = Date.now()): string {
  return new Date(now + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** A real calendar date, not before 1900 and not after `today` (both YYYYMMDD). */
export function isPlausibleBirthDate(yyyymmdd: string, today: string): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; Date.UTC knows the leap years.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth && yyyymmdd >= EARLIEST_BIRTH_DATE && yyyymmdd <= today;
}

export type IdNumberCheck =
  | { valid: true; idNumber: string }
  | { valid: false; code: ResidentErrorCode; message: string };

const refuse = (code: ResidentErrorCode, message: string): IdNumberCheck => ({ valid: false, code, message });

/**
 * Checks a resident ID number as typed and returns it normalised (a lowercase x becomes X),
 * or the one reason it is refused. Typing slips (spaces, full-width digits from a Chinese
 * input method, the old 15-digit number) get their own codes so the app can say what to
 * fix. Messages never repeat the number: they may be logged.
 */
export function checkIdNumber(raw: string, today: string = chinaToday()): IdNumberCheck {
  if (/\s/.test(raw)) {
    return refuse(ResidentErrorCode.IdNumberWhitespace, 'Remove the spaces from the ID number');
  }
  if (/[\uFF10-\uFF19\uFF38\uFF58]/.test(raw)) {
    return refuse(ResidentErrorCode.IdNumberFullWidth, 'Type the ID number with half-width digits (switch off full-width input)');
  }
  if (/^\d{15}$/.test(raw)) {
    return refuse(ResidentErrorCode.IdNumberLegacy15, 'Use the 18-character ID number; 15-digit numbers are no longer accepted');
  }
  if (!/^\d{17}[\dXx]$/.test(raw)) {
    return refuse(ResidentErrorCode.IdNumberFormat, 'An ID number is 17 digits followed by a digit or X');
  }
  const idNumber = raw.toUpperCase();
  if (!isKnownProvince(idNumber)) {
    return refuse(ResidentErrorCode.IdNumberRegion, 'The ID number does not start with a known province code');
  }
  if (!isPlausibleBirthDate(idNumber.slice(6, 14), today)) {
    return refuse(ResidentErrorCode.IdNumberBirthDate, 'The birth date in the ID number is not a real past date');
  }
  if (idNumberCheckChar(idNumber.slice(0, 17)) !== idNumber[17]) {
    return refuse(ResidentErrorCode.IdNumberChecksum, 'The ID number has a typing error (its check character does not match)');
  }
  return { valid: true, idNumber };
}

/** 330203199001011237 → 330203********1237: the only form of the number that is ever stored or shown. */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`;
}

/**
 * Keyed hash of a normalised number, hex. Keyed (not a bare SHA-256) because there are only
 * about 10^11 plausible numbers: without the key, a leaked table could be reversed by trying them all.
 */
export function hashIdNumber(key: string, idNumber: string): string {
  return createHmac('sha256', key).update(idNumber, 'utf8').digest('hex');
}
