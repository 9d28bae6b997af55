import { isCategory, isDistrict, isValidCreditCode } from '@vouchers/common';
import { RowErrorCode } from './import-errors';
import { MERCHANT_CSV_COLUMNS } from './merchant-csv';
import { MerchantRow, RowProblem } from './merchant-row';

/** Longest value of each text column, in characters (as Postgres varchar counts them: code points). */
const LIMITS = { registered_name: 200, shop_name: 200, address: 300, bank_account_name: 200, bank_name: 100 } as const;
const MOBILE = /^1[3-9]\d{9}$/;
const ACCOUNT_NUMBER = /^\d{8,30}$/;
const DECIMAL = /^[+-]?\d{1,3}(\.\d{1,15})?$/;
/** Control characters other than the line breaks and tabs folded to spaces below; Postgres refuses NUL outright. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

const problem = (code: RowErrorCode, message: string): RowProblem => ({ code, message });

/** A row giving a bank account while the merchant's own change of account awaits review (MerchantBatchWriter). */
export function bankChangePending(): RowProblem {
  return problem(
    RowErrorCode.BankChangePending,
    "The merchant's own change of bank account awaits review: decide it first, then import the account (or leave the bank cells blank)",
  );
}

/**
 * A district official's row that they may not import. One answer, word for word, whether the
 * row names another district or its credit code is registered in another district (found only
 * when writing), so the answer never tells a district official what another district holds.
 */
export function outOfScope(scope: string): RowProblem {
  return problem(RowErrorCode.OutsideOfficialDistrict, `You cannot import this row: you may import merchants of ${scope} only`);
}

function codePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdbff) count += 1;
  }
  return count;
}

/** A cell as stored: line breaks and tabs inside a cell (Alt+Enter in a spreadsheet) become one space. */
function clean(value: string): string {
  return value.replace(/[\t\r\n]+/g, ' ').trim();
}

export function isRowProblem<T extends object>(value: T | RowProblem): value is RowProblem {
  return 'code' in value && 'message' in value;
}

/**
 * Checks the data rows of one import file, in file order, one problem per rejected row.
 * Stateful only in one way: it remembers the credit codes seen, so the second row with a
 * code is the one rejected as a duplicate. Order of checks: column count, credit code,
 * duplicate, then the fields from left to right, then the official's district scope.
 */
export class RowChecker {
  private readonly seen = new Set<string>();

  /** `scope`: the district of a district official; null for a city-wide one. */
  constructor(private readonly scope: string | null) {}

  check(cells: string[], line: number): MerchantRow | RowProblem {
    if (cells.length !== MERCHANT_CSV_COLUMNS.length) {
      return problem(RowErrorCode.WrongColumnCount, `The row has ${cells.length} fields, not ${MERCHANT_CSV_COLUMNS.length}`);
    }
    const [creditCode, registeredName, shopName, district, category, address, latitude, longitude, phone, accountName, bankName, accountNumber] =
      cells.map(clean);
    if (!isValidCreditCode(creditCode)) {
      return problem(RowErrorCode.CreditCodeInvalid, 'credit_code is not a valid unified social credit code (GB 32100)');
    }
    if (this.seen.has(creditCode)) {
      return problem(RowErrorCode.DuplicateInFile, 'credit_code appears on an earlier line of this file');
    }
    this.seen.add(creditCode);

    const text = { registered_name: registeredName, shop_name: shopName, address, bank_account_name: accountName, bank_name: bankName };
    for (const [column, value] of Object.entries(text)) {
      if (CONTROL.test(value)) return problem(RowErrorCode.BadCharacter, `${column} holds a control character`);
    }
    for (const [column, value] of Object.entries({ registered_name: registeredName, shop_name: shopName, district, category, address })) {
      if (value === '') return problem(RowErrorCode.FieldMissing, `${column} is required`);
    }
    for (const [column, limit] of Object.entries(LIMITS)) {
      if (codePoints(text[column as keyof typeof LIMITS]) > limit) {
        return problem(RowErrorCode.FieldTooLong, `${column} is longer than ${limit} characters`);
      }
    }
    if (!isDistrict(district)) return problem(RowErrorCode.UnknownDistrict, `district "${district.slice(0, 32)}" is not a district code of the city`);
    if (!isCategory(category)) return problem(RowErrorCode.UnknownCategory, `category "${category.slice(0, 32)}" is not a merchant category`);

    const coordinates = checkCoordinates(latitude, longitude);
    if (isRowProblem(coordinates)) return coordinates;
    if (phone !== '' && !MOBILE.test(phone)) return problem(RowErrorCode.BadPhone, 'contact_phone is not a mainland mobile number');
    const bank = checkBank(accountName, bankName, accountNumber.replace(/ /g, ''));
    if (isRowProblem(bank)) return bank;

    if (this.scope !== null && district !== this.scope) return outOfScope(this.scope);
    return {
      line,
      creditCode,
      registeredName,
      shopName,
      district,
      category,
      address,
      ...coordinates,
      contactPhone: phone === '' ? null : phone,
      ...bank,
    };
  }
}

/** Both or neither; decimal degrees within range. */
function checkCoordinates(latitude: string, longitude: string): Pick<MerchantRow, 'latitude' | 'longitude'> | RowProblem {
  if (latitude === '' && longitude === '') return { latitude: null, longitude: null };
  const lat = DECIMAL.test(latitude) ? Number(latitude) : NaN;
  const lng = DECIMAL.test(longitude) ? Number(longitude) : NaN;
  if (!(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) {
    return problem(RowErrorCode.BadCoordinates, 'latitude and longitude must both be given, within -90..90 and -180..180');
  }
  return { latitude: lat, longitude: lng };
}

/**
 * The bank account is optional, but whole: the name, the bank and the number together or
 * none of them, since a payout needs all three. Spaces in the number are dropped.
 */
function checkBank(
  accountName: string,
  bankName: string,
  accountNumber: string,
): Pick<MerchantRow, 'bankAccountName' | 'bankName' | 'bankAccountNumber'> | RowProblem {
  const given = { bank_account_name: accountName, bank_name: bankName, bank_account_number: accountNumber };
  const missing = Object.keys(given).filter((column) => given[column as keyof typeof given] === '');
  if (missing.length === 3) return { bankAccountName: null, bankName: null, bankAccountNumber: null };
  if (missing.length > 0) return problem(RowErrorCode.FieldMissing, `${missing.join(', ')} missing: give the bank account whole or not at all`);
  if (!ACCOUNT_NUMBER.test(accountNumber)) return problem(RowErrorCode.BadAccountNumber, 'bank_account_number must be 8 to 30 digits');
  return { bankAccountName: accountName, bankName, bankAccountNumber: accountNumber };
}
