import { AppError, errorCatalogue } from '@vouchers/common';
import type { RefreshRefusal } from './rotation-rules';

/** Refusals of a refresh token, the same for every kind of account. */
export enum SessionErrorCode {
  RefreshTokenInvalid = 'REFRESH_TOKEN_INVALID',
  RefreshTokenExpired = 'REFRESH_TOKEN_EXPIRED',
  RefreshTokenRevoked = 'REFRESH_TOKEN_REVOKED',
}

/** Every refusal a refresh route can answer, for its /docs (@AnswersErrors(...REFRESH_REFUSALS)). */
export const REFRESH_REFUSALS = [SessionErrorCode.RefreshTokenInvalid, SessionErrorCode.RefreshTokenExpired, SessionErrorCode.RefreshTokenRevoked] as const;

export const SESSION_ERRORS = errorCatalogue<SessionErrorCode>('sessions', {
  [SessionErrorCode.RefreshTokenInvalid]: { status: 401, meaning: 'The refresh token is not one this server issued; sign in again' },
  [SessionErrorCode.RefreshTokenExpired]: { status: 401, meaning: 'The session has expired; sign in again' },
  [SessionErrorCode.RefreshTokenRevoked]: { status: 401, meaning: 'The session was ended (logout, or a refresh token used twice); sign in again' },
});

const REFUSALS: Record<RefreshRefusal, [SessionErrorCode, string]> = {
  unknown: [SessionErrorCode.RefreshTokenInvalid, 'Sign in again'],
  expired: [SessionErrorCode.RefreshTokenExpired, 'The session has expired; sign in again'],
  revoked: [
    SessionErrorCode.RefreshTokenRevoked,
    'This refresh token was already used, so every session of this account has been ended; sign in again',
  ],
  ended: [SessionErrorCode.RefreshTokenRevoked, 'This session was ended (signed out, or it ran out); sign in again'],
};

export function refusalError(refusal: RefreshRefusal): AppError {
  const [code, message] = REFUSALS[refusal];
  return new AppError(code, message);
}
