import { creditCodeCheckChar } from '@vouchers/common';
import { RowErrorCode } from './import-errors';
import { MerchantRow } from './merchant-row';
import { isRowProblem, RowChecker } from './row-checker';

const code = (n: number) => {
  const first17 = `91330200MA2B${String(n).padStart(5, '0')}`;
  return first17 + creditCodeCheckChar(first17);
};

/** A valid row; each test breaks one field of it. */
const cells = (overrides: Record<number, string> = {}, n = 1): string[] => {
  const row = [code(n), '宁波甬城餐饮有限公司', '甬城面馆', 'haishu', 'dining', '海曙区中山西路1号', '29.87', '121.54', '13800000001', '宁波甬城餐饮有限公司', '中国银行', '6222 0212 3456 7890 123'];
  for (const [i, value] of Object.entries(overrides)) row[Number(i)] = value;
  return row;
};

const codeOf = (result: MerchantRow | { code: string }) => (isRowProblem(result) ? result.code : 'OK');

describe('import row checks', () => {
  it('accepts a valid row, trimmed, the account number without spaces', () => {
    const row = new RowChecker(null).check(cells({ 2: '  甬城面馆 ' }), 2) as MerchantRow;
    expect(row).toMatchObject({ line: 2, shopName: '甬城面馆', latitude: 29.87, longitude: 121.54, bankAccountNumber: '6222021234567890123' });
  });

  it('leaves optional fields empty as null, the bank account only whole', () => {
    const row = new RowChecker(null).check(cells({ 6: '', 7: '', 8: '', 9: '', 10: '', 11: '' }), 2) as MerchantRow;
    expect(row).toMatchObject({ latitude: null, longitude: null, contactPhone: null, bankAccountName: null, bankName: null, bankAccountNumber: null });
    expect(codeOf(new RowChecker(null).check(cells({ 10: '' }), 2))).toBe(RowErrorCode.FieldMissing);
  });

  it.each([
    ['a changed character of the credit code', { 0: code(1).slice(0, 5) + (code(1)[5] === '1' ? '2' : '1') + code(1).slice(6) }, RowErrorCode.CreditCodeInvalid],
    ['a lower-case credit code', { 0: code(1).toLowerCase() }, RowErrorCode.CreditCodeInvalid],
    ['a missing shop name', { 2: '  ' }, RowErrorCode.FieldMissing],
    ['201 characters of registered name', { 1: '店'.repeat(201) }, RowErrorCode.FieldTooLong],
    ['301 characters of address', { 5: 'a'.repeat(301) }, RowErrorCode.FieldTooLong],
    ['101 characters of bank name', { 10: '行'.repeat(101) }, RowErrorCode.FieldTooLong],
    ['a NUL byte', { 2: 'a\u0000b' }, RowErrorCode.BadCharacter],
    ['an unknown district', { 3: 'pudong' }, RowErrorCode.UnknownDistrict],
    ['an unknown category', { 4: 'casino' }, RowErrorCode.UnknownCategory],
    ['a latitude without longitude', { 7: '' }, RowErrorCode.BadCoordinates],
    ['a latitude past 90', { 6: '90.5' }, RowErrorCode.BadCoordinates],
    ['a longitude that is not a number', { 7: '121,54' }, RowErrorCode.BadCoordinates],
    ['a landline', { 8: '057487654321' }, RowErrorCode.BadPhone],
    ['a 7-digit account number', { 11: '1234567' }, RowErrorCode.BadAccountNumber],
    ['a 31-digit account number', { 11: '1'.repeat(31) }, RowErrorCode.BadAccountNumber],
  ])('rejects %s', (_what, overrides, expected) => {
    expect(codeOf(new RowChecker(null).check(cells(overrides), 2))).toBe(expected);
  });

  it('counts length in characters as Postgres does, astral ones once', () => {
    expect(codeOf(new RowChecker(null).check(cells({ 2: '𠀀'.repeat(200) }), 2))).toBe('OK');
    expect(codeOf(new RowChecker(null).check(cells({ 2: '𠀀'.repeat(201) }), 2))).toBe(RowErrorCode.FieldTooLong);
  });

  it('rejects a wrong number of fields before anything else', () => {
    expect(codeOf(new RowChecker(null).check(cells().slice(0, 11), 2))).toBe(RowErrorCode.WrongColumnCount);
  });

  it('rejects the later of two rows with one credit code', () => {
    const checker = new RowChecker(null);
    expect(codeOf(checker.check(cells({}, 1), 2))).toBe('OK');
    expect(codeOf(checker.check(cells({}, 2), 3))).toBe('OK');
    expect(codeOf(checker.check(cells({ 2: 'another shop' }, 1), 4))).toBe(RowErrorCode.DuplicateInFile);
  });

  it("keeps a district official to their district's rows", () => {
    const checker = new RowChecker('haishu');
    expect(codeOf(checker.check(cells({}, 1), 2))).toBe('OK');
    expect(codeOf(checker.check(cells({ 3: 'cixi' }, 2), 3))).toBe(RowErrorCode.OutsideOfficialDistrict);
  });
});
