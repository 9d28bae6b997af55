import { openText, sealText } from './sealed-text';

/**
 * Merchants' bank account numbers: kept encrypted (sealText under BANK_ACCOUNT_KEY), shown
 * only masked. Only the payout file (settlement) opens them.
 */
export function sealBankAccount(accountNumber: string, secret: string): string {
  return sealText(accountNumber, secret, 'bank-account');
}

export function openBankAccount(sealed: string, secret: string): string {
  return openText(sealed, secret, 'bank-account');
}

/** 6222 0212 3456 7890 123 → 6222 **** **** 0123 (first four and last four digits). */
export function maskBankAccount(accountNumber: string): string {
  const digits = accountNumber.replace(/\s+/g, '');
  return `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`;
}
