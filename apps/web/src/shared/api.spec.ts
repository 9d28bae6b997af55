// Which 401s a refresh may cure (api.ts): a refused token, not refused credentials.
import { describe, expect, it } from '@jest/globals';
import { ApiError, isTokenRefusal } from './api';

describe('isTokenRefusal', () => {
  it('is a 401 about the access token', () => {
    expect(isTokenRefusal(new ApiError(401, 'UNAUTHENTICATED', 'A valid access token is required'))).toBe(true);
    expect(isTokenRefusal(new ApiError(401, 'ACCESS_TOKEN_REVOKED', 'You signed out of this session'))).toBe(true);
  });

  it('is not a 401 refusing a password or a code, nor any other answer', () => {
    expect(isTokenRefusal(new ApiError(401, 'INVALID_CREDENTIALS', 'wrong password'))).toBe(false);
    expect(isTokenRefusal(new ApiError(401, 'OTP_INVALID', 'wrong code'))).toBe(false);
    expect(isTokenRefusal(new ApiError(403, 'FORBIDDEN', 'no'))).toBe(false);
    expect(isTokenRefusal(new Error('UNAUTHENTICATED'))).toBe(false);
  });
});
