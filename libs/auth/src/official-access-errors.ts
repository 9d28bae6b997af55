import { errorCatalogue } from '@vouchers/common';

/** Refusals of an official's token on a guarded route, and of the account at sign-in or refresh. */
export enum OfficialAccessErrorCode {
  AccountDisabled = 'ACCOUNT_DISABLED',
  AccessTokenRevoked = 'ACCESS_TOKEN_REVOKED',
}

export const OFFICIAL_ACCESS_ERRORS = errorCatalogue<OfficialAccessErrorCode>('official access', {
  [OfficialAccessErrorCode.AccountDisabled]: { status: 403, meaning: 'The official\'s account is disabled; ask an account administrator' },
  [OfficialAccessErrorCode.AccessTokenRevoked]: {
    status: 401,
    meaning: 'The account was reset, or its role or district changed, since this token was signed, or its session ended (signed out); sign in again',
  },
});
