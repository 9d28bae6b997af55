/**
 * Guessing limits of an official's account. On the account, in Postgres: every failed TOTP
 * code after a right password, and every wrong code of an activation outstanding, counts, and
 * the fifth in a row locks the account for 15 minutes (on Postgres's clock); a success clears
 * the count. Wrong passwords are counted per number in Redis (PasswordGuesses): the fifth from
 * one address in 15 minutes locks the number to that address, the fiftieth from all addresses
 * locks it to everyone, until the window ends.
 */
export const SIGN_IN_POLICY = {
  maxFailures: 5,
  lockSeconds: 15 * 60,
  guessesPerAddress: 5,
  guessesPerNumber: 50,
  guessWindowSeconds: 15 * 60,
} as const;
