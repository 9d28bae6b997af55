/**
 * Guessing limits of an official's account: every failed password, TOTP code or activation
 * code counts, and the fifth in a row locks the account for 15 minutes (counted on Postgres's
 * clock). A success clears the count.
 */
export const SIGN_IN_POLICY = {
  maxFailures: 5,
  lockSeconds: 15 * 60,
} as const;
