import { AppError, creditCodeCheckChar } from '@vouchers/common';
import { requireBankAccountNumber, requireCoordinates, requireCreditCode } from './merchant-rules';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
};

describe('merchant rules', () => {
  const first17 = '91330203MA2AB3CD1';
  const valid = first17 + creditCodeCheckChar(first17);

  it('reads a credit code, forgiving spaces and lower case', () => {
    expect(requireCreditCode(valid)).toBe(valid);
    expect(requireCreditCode(` ${valid.slice(0, 6)} ${valid.slice(6).toLowerCase()} `)).toBe(valid);
  });

  it.each([
    ['a wrong check character', first17 + (valid[17] === '0' ? '1' : '0')],
    ['17 characters', first17],
    ['a letter outside the alphabet', `${first17.slice(0, 16)}I${valid[17]}`],
    ['punctuation', `${valid.slice(0, 17)}-`],
  ])('refuses a credit code with %s', (_why, code) => {
    expect(codeOf(() => requireCreditCode(code))).toBe('CREDIT_CODE_INVALID');
  });

  it('reads a bank account number of 8-30 digits', () => {
    expect(requireBankAccountNumber('6222 0212 3456 7890 123')).toBe('6222021234567890123');
    expect(requireBankAccountNumber('12345678')).toBe('12345678');
    expect(requireBankAccountNumber('1'.repeat(30))).toBe('1'.repeat(30));
    for (const bad of ['1234567', '1'.repeat(31), '6222-0212-3456', '62220212345678９0', '', 'abcdefgh']) {
      expect(codeOf(() => requireBankAccountNumber(bad))).toBe('BANK_ACCOUNT_INVALID');
    }
  });

  it('takes coordinates in pairs and in range', () => {
    expect(requireCoordinates(undefined, undefined)).toEqual({ latitude: null, longitude: null });
    expect(requireCoordinates(29.87, 121.55)).toEqual({ latitude: 29.87, longitude: 121.55 });
    expect(requireCoordinates(-90, 180)).toEqual({ latitude: -90, longitude: 180 });
    for (const [lat, lng] of [
      [29.87, undefined],
      [undefined, 121.55],
      [91, 121],
      [29, -180.5],
      [Number.NaN, 121],
    ] as Array<[number | undefined, number | undefined]>) {
      expect(codeOf(() => requireCoordinates(lat, lng))).toBe('COORDINATES_INVALID');
    }
  });
});
