import { bankAccountDigits, CONTACT_PHONE_SHAPE } from './merchant-fields';

describe("a merchant's own fields", () => {
  it('reads a bank account number of 8-30 digits, spaces as printed on cards forgiven', () => {
    expect(bankAccountDigits('6222 0212 3456 7890 123')).toBe('6222021234567890123');
    expect(bankAccountDigits(' 12345678 ')).toBe('12345678');
    expect(bankAccountDigits('1'.repeat(30))).toBe('1'.repeat(30));
  });

  it.each([
    ['7 digits', '1234567'],
    ['31 digits', '1'.repeat(31)],
    ['dashes', '6222-0212-3456'],
    ['a full-width digit', '62220212345678９0'],
    ['a tab', '62220212\t34567890'],
    ['letters', 'abcdefgh'],
    ['nothing', ''],
  ])('refuses a bank account number with %s', (_why, typed) => {
    expect(bankAccountDigits(typed)).toBeNull();
  });

  it('takes a telephone of digits, spaces and dashes, with a leading + only', () => {
    for (const phone of ['0574-8888 8888', '+86 139 0000 0002', '12345']) expect(CONTACT_PHONE_SHAPE.test(phone)).toBe(true);
    for (const phone of ['1234', '0574/8888', '-0574 8888', '+', '1'.repeat(21), ' 0574-8888']) expect(CONTACT_PHONE_SHAPE.test(phone)).toBe(false);
  });
});
