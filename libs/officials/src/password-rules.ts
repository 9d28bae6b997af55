import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** Why a new password is refused; each is its own stable error code (PASSWORD_ERRORS). */
export enum PasswordErrorCode {
  TooShort = 'PASSWORD_TOO_SHORT',
  TooLong = 'PASSWORD_TOO_LONG',
  TooCommon = 'PASSWORD_TOO_COMMON',
  ContainsPhone = 'PASSWORD_CONTAINS_PHONE',
  TooWeak = 'PASSWORD_TOO_WEAK',
  Unchanged = 'PASSWORD_UNCHANGED',
}

/**
 * The rules for an official's password: long (NIST SP 800-63B's advice: length over composition
 * rules), not one of the passwords attackers try first, not built on the phone number that is
 * also the sign-in name, and strong by zxcvbn's estimate (score 3 of 4: "safely unguessable").
 */
export const PASSWORD_RULES = {
  minLength: 12,
  /** argon2 hashes any length, but a megabyte "password" is a denial of service, not a secret. */
  maxLength: 128,
  minScore: 3,
} as const;

/**
 * Passwords common here that an English-based list misses (pinyin, lucky numbers, the city);
 * compared after lower-casing, as whole passwords.
 */
const LOCAL_COMMON = new Set([
  'woaini1314520',
  'woaini5201314',
  'ningbo123456',
  'ningbo888888',
  'nb1234567890',
  'shangwuju123456',
  'caizhengju123456',
  'zhongguo123456',
  'aa123456789012',
  'qwer1234qwer1234',
  '1qaz2wsx3edc',
  '1q2w3e4r5t6y',
  'p@ssw0rd1234',
  'password1234',
  'admin1234567',
  'administrator',
]);

const COMMON = new Set<string>(dictionary['passwords-common'] as string[]);

// Built once: the factory turns the dictionaries into ranked lookups.
const zxcvbn = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });

/** The first rule a new password breaks, or null when it is acceptable. */
export function passwordProblem(password: string, phone: string): PasswordErrorCode | null {
  const length = [...password].length;
  if (length < PASSWORD_RULES.minLength) return PasswordErrorCode.TooShort;
  if (length > PASSWORD_RULES.maxLength) return PasswordErrorCode.TooLong;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || LOCAL_COMMON.has(lower)) return PasswordErrorCode.TooCommon;
  // The phone number is the sign-in name: its last eight digits already give most of it away.
  if (password.replace(/[\s-]/g, '').includes(phone.slice(-8))) return PasswordErrorCode.ContainsPhone;
  if (zxcvbn.check(password, [phone]).score < PASSWORD_RULES.minScore) return PasswordErrorCode.TooWeak;
  return null;
}

export const PASSWORD_MESSAGES: Record<PasswordErrorCode, string> = {
  [PasswordErrorCode.TooShort]: `The password must have at least ${PASSWORD_RULES.minLength} characters`,
  [PasswordErrorCode.TooLong]: `The password must have at most ${PASSWORD_RULES.maxLength} characters`,
  [PasswordErrorCode.TooCommon]: 'That password is on the list of common passwords; choose another',
  [PasswordErrorCode.ContainsPhone]: 'The password must not contain your phone number',
  [PasswordErrorCode.TooWeak]: 'That password is too easy to guess; a few unrelated words make a strong one',
  [PasswordErrorCode.Unchanged]: 'The new password must differ from the current one',
};
