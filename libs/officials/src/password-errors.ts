import { AppError, errorCatalogue } from '@vouchers/common';
import { PASSWORD_MESSAGES, PasswordErrorCode } from './password-rules';

export const PASSWORD_ERRORS = errorCatalogue<PasswordErrorCode>('official passwords', {
  [PasswordErrorCode.TooShort]: { status: 422, meaning: 'The new password is shorter than 12 characters' },
  [PasswordErrorCode.TooLong]: { status: 422, meaning: 'The new password is longer than 128 characters' },
  [PasswordErrorCode.TooCommon]: { status: 422, meaning: 'The new password is on a list of common passwords' },
  [PasswordErrorCode.ContainsPhone]: { status: 422, meaning: 'The new password contains the account\'s phone number' },
  [PasswordErrorCode.TooWeak]: { status: 422, meaning: 'The new password is too easy to guess (zxcvbn score below 3)' },
  [PasswordErrorCode.Unchanged]: { status: 422, meaning: 'The new password is the current one' },
});

export function passwordError(code: PasswordErrorCode): AppError {
  return new AppError(code, PASSWORD_MESSAGES[code]);
}
