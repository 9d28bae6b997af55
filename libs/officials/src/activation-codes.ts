import { createHash, randomBytes } from 'node:crypto';

/** How long an activation code (new account, or a reset) may be used. */
export const ACTIVATION_TTL_HOURS = 72;

/** Crockford's base32: no I, L, O or U to misread when the code is read out or typed. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 80 random bits as four groups of four (XXXX-XXXX-XXXX-XXXX): handed over on paper or by phone. */
export function newActivationCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < 16; i += 1) {
    code = ALPHABET[Number(bits & 31n)] + code;
    bits >>= 5n;
  }
  return [0, 4, 8, 12].map((start) => code.slice(start, start + 4)).join('-');
}

/**
 * Stored as SHA-256 only: 80 random bits leave nothing to guess offline, and guesses online
 * count towards the account's lock. Spelling is forgiven (case, dashes, spaces).
 */
export function activationCodeHash(code: string): string {
  const normal = code.toUpperCase().replace(/[\s-]/g, '');
  return createHash('sha256').update(normal, 'utf8').digest('hex');
}
