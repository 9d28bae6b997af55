/**
 * Guessing limits of an official's sign-in. Attempts are counted per number in Redis before
 * anything is checked (SignInAttempts): five from one client address in 15 minutes lock the
 * number to that address (an IPv6 address counts by its /64), fifty from all addresses lock it
 * everywhere but at the addresses it signed in from in the last 30 days, and thirty from one
 * address over all the numbers it tries lock that address out of every number, until the
 * window ends; a sign-in that
 * succeeds gives its address's back. Activation codes are counted the same way, and only there.
 * On the account, in Postgres, on Postgres's clock: every wrong TOTP code behind the right
 * password and wrong current password at a password change counts, and the fifth in a row
 * locks the account for 15 minutes; a success clears the count.
 */
export const SIGN_IN_POLICY = {
  maxFailures: 5,
  lockSeconds: 15 * 60,
  attemptsPerAddress: 5,
  attemptsPerNumber: 50,
  attemptsPerAddressOverNumbers: 30,
  attemptWindowSeconds: 15 * 60,
  knownAddressDays: 30,
} as const;
