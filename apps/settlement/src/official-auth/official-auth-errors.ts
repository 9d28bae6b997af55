import { errorCatalogue } from '@vouchers/common';

/**
 * Answers of officials' sign-in, activation and password change other than success. A disabled
 * account answers ACCOUNT_DISABLED (OfficialAccessErrorCode, as the guard does); a new password
 * that breaks a rule answers its PasswordErrorCode.
 */
export enum OfficialAuthErrorCode {
  InvalidCredentials = 'INVALID_CREDENTIALS',
  AccountLocked = 'ACCOUNT_LOCKED',
  PasswordChangeRequired = 'PASSWORD_CHANGE_REQUIRED',
  ActivationCodeInvalid = 'ACTIVATION_CODE_INVALID',
  TotpNotEnrolled = 'TOTP_NOT_ENROLLED',
  ActivationChanged = 'ACTIVATION_CHANGED',
}

export const OFFICIAL_AUTH_ERRORS = errorCatalogue<OfficialAuthErrorCode>('official sign-in', {
  [OfficialAuthErrorCode.InvalidCredentials]: {
    status: 401,
    meaning: 'The phone, password or TOTP code is wrong (or the code was already used); details.attemptsLeft before the lock',
  },
  [OfficialAuthErrorCode.AccountLocked]: {
    status: 423,
    meaning: 'Too many failed attempts: the account is locked; try again after details.retryAfterSeconds (Retry-After)',
  },
  [OfficialAuthErrorCode.PasswordChangeRequired]: {
    status: 403,
    meaning: 'An administrator reset the account: activate it again with the new activation code (a new password and TOTP)',
  },
  [OfficialAuthErrorCode.ActivationCodeInvalid]: {
    status: 401,
    meaning: 'The activation code is wrong, expired or already used; ask an administrator for a new one',
  },
  [OfficialAuthErrorCode.TotpNotEnrolled]: {
    status: 409,
    meaning: 'Confirm comes after POST /v1/official-auth/activation, which enrols the authenticator',
  },
  [OfficialAuthErrorCode.ActivationChanged]: {
    status: 409,
    meaning: 'The activation changed while this step was checked (another step of it, a second click, a reset): nothing was done; go on from the answer of the step that finished, or start again',
  },
});
