import { createSecretKey } from 'node:crypto';
import { readVoucherCode, signVoucherCode } from './code-format';

const key = createSecretKey(Buffer.from('k'.repeat(40)));
const claims = {
  voucherId: '0195f3a2-7b1c-7d00-8a4e-1f2b3c4d5e6f',
  residentId: '0195f3a2-7b1c-7d00-9b5f-2a3b4c5d6e7f',
  expiresAt: 1_800_000_000,
  nonce: '0123456789abcdef',
};

describe('checkout code format', () => {
  it('round-trips the claims in 84 URL-safe characters', () => {
    const code = signVoucherCode(claims, key);
    expect(code).toMatch(/^V1[A-Za-z0-9_-]{82}$/);
    const reading = readVoucherCode(code, key);
    expect(reading).toEqual({ ok: true, claims, digest: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('refuses a code signed with another key, or with any character changed', () => {
    const code = signVoucherCode(claims, key);
    expect(readVoucherCode(code, createSecretKey(Buffer.from('z'.repeat(40))))).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    for (const at of [2, 10, 40, 70, 83]) {
      const swapped = code[at] === 'A' ? 'B' : 'A';
      const tampered = code.slice(0, at) + swapped + code.slice(at + 1);
      expect(readVoucherCode(tampered, key).ok).toBe(false);
    }
  });

  it('calls anything that is not a code malformed', () => {
    for (const text of ['', 'V1', 'V2' + 'A'.repeat(82), 'V1' + 'A'.repeat(81), 'V1' + '!'.repeat(82), 42, null, 'V1' + 'A'.repeat(500)]) {
      expect(readVoucherCode(text, key)).toEqual({ ok: false, reason: 'MALFORMED' });
    }
  });

  it('gives two codes of the same voucher different digests', () => {
    const a = readVoucherCode(signVoucherCode(claims, key), key);
    const b = readVoucherCode(signVoucherCode({ ...claims, nonce: 'fedcba9876543210' }, key), key);
    expect(a.ok && b.ok && a.digest !== b.digest).toBe(true);
  });
});
