import { AppError } from '@vouchers/common';
import { OtpErrorCode } from './otp-errors';

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const COUNTRY_PREFIX = /^(?:\+86|0086|86)(\d{11})$/;

/**
 * A mainland mobile number as people type it ("+86 138-0000-0001", "0086 13800000001")
 * reduced to its 11 digits, or null when it is not one. Only spaces and dashes are
 * forgiven; anything else (letters, brackets, other country codes) is refused, not guessed at,
 * so one person cannot end up with two accounts (or two staff rows) under two spellings of one number.
 */
export function normalisePhone(raw: string): string | null {
  const compact = raw.replace(/[\s-]/g, '');
  const national = COUNTRY_PREFIX.exec(compact)?.[1] ?? compact;
  return MAINLAND_MOBILE.test(national) ? national : null;
}

/** normalisePhone, or 400 INVALID_PHONE. */
export function requirePhone(raw: string): string {
  const phone = normalisePhone(raw);
  if (phone === null) {
    throw new AppError(OtpErrorCode.InvalidPhone, 'Enter a mainland mobile number of 11 digits starting with 13-19');
  }
  return phone;
}

/** 13800000001 → 138****0001: enough for the resident to recognise, too little to call. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
