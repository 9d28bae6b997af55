import { errorCatalogue } from '@vouchers/common';

/**
 * Refusals of a resident's number change other than the one-time code's own (INVALID_PHONE,
 * OTP_*, SMS_UNAVAILABLE: OtpErrorCode of @vouchers/otp). Each changes nothing.
 */
export enum PhoneChangeErrorCode {
  PhoneUnchanged = 'PHONE_UNCHANGED',
  PhoneTaken = 'PHONE_TAKEN',
}

export const PHONE_CHANGE_ERRORS = errorCatalogue<PhoneChangeErrorCode>('resident number change', {
  [PhoneChangeErrorCode.PhoneUnchanged]: { status: 400, meaning: 'The new number is the one this account already has' },
  [PhoneChangeErrorCode.PhoneTaken]: {
    status: 409,
    meaning: 'The new number belongs to another account that holds something (real-name verified, vouchers or lottery entries)',
  },
});
