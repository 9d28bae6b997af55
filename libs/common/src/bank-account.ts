import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Merchants' bank account numbers: kept encrypted (AES-256-GCM, key derived from the
 * configured secret), shown only masked. Only the payout file (settlement) opens them.
 */
function keyOf(secret: string): Buffer {
  return createHash('sha256').update(`bank-account:${secret}`).digest();
}

/** base64url of iv (12) | tag (16) | ciphertext. */
export function sealBankAccount(accountNumber: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(accountNumber, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openBankAccount(sealed: string, secret: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** 6222 0212 3456 7890 123 → 6222 **** **** 0123 (first four and last four digits). */
export function maskBankAccount(accountNumber: string): string {
  const digits = accountNumber.replace(/\s+/g, '');
  return `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`;
}
