import { maskBankAccount, openBankAccount, sealBankAccount } from './bank-account';

describe('bank account numbers', () => {
  const secret = 's'.repeat(40);

  it('seal and open again, differently each time', () => {
    const a = sealBankAccount('6222021234567890123', secret);
    const b = sealBankAccount('6222021234567890123', secret);
    expect(a).not.toBe(b);
    expect(a).not.toContain('6222021234567890123');
    expect(openBankAccount(a, secret)).toBe('6222021234567890123');
  });

  it('refuse to open with another key or after tampering', () => {
    const sealed = sealBankAccount('6222021234567890123', secret);
    expect(() => openBankAccount(sealed, 't'.repeat(40))).toThrow();
    const tampered = Buffer.from(sealed, 'base64url');
    tampered[tampered.length - 1] ^= 1;
    expect(() => openBankAccount(tampered.toString('base64url'), secret)).toThrow();
  });

  it('masks all but the first and last four digits', () => {
    expect(maskBankAccount('6222 0212 3456 7890 123')).toBe('6222 **** **** 0123');
  });
});
