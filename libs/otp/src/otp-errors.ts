import { CommonErrorCode, errorCatalogue } from '@vouchers/common';

/**
 * Answers of sending and checking one-time codes other than success, the same for every
 * audience, so residents' and merchants' apps can say exactly what to do next.
 */
export enum OtpErrorCode {
  InvalidPhone = 'INVALID_PHONE',
  OtpCooldown = 'OTP_COOLDOWN',
  OtpPhoneLimit = 'OTP_PHONE_LIMIT',
  OtpAddressLimit = 'OTP_ADDRESS_LIMIT',
  OtpTooManyTries = 'OTP_TOO_MANY_TRIES',
  OtpInvalid = 'OTP_INVALID',
  OtpExpired = 'OTP_EXPIRED',
  SmsUnavailable = 'SMS_UNAVAILABLE',
}

export const OTP_ERRORS = errorCatalogue<OtpErrorCode>('one-time codes', {
  [OtpErrorCode.InvalidPhone]: {
    status: 400,
    meaning: 'Enter a mainland mobile number of 11 digits starting with 13-19; also when the SMS provider will not send to the number',
  },
  [OtpErrorCode.OtpCooldown]: { status: 429, meaning: 'A code was just sent to this number; wait (Retry-After)' },
  [OtpErrorCode.OtpPhoneLimit]: { status: 429, meaning: 'Too many codes sent to this number; wait (Retry-After)' },
  [OtpErrorCode.OtpAddressLimit]: { status: 429, meaning: 'Too many codes asked from this address; wait (Retry-After)' },
  [OtpErrorCode.OtpTooManyTries]: { status: 429, meaning: 'Too many wrong codes; ask for a new one' },
  [OtpErrorCode.OtpInvalid]: { status: 401, meaning: 'The code is not right (details.triesLeft)' },
  [OtpErrorCode.OtpExpired]: { status: 401, meaning: 'The code has expired or was never sent; ask for a new one' },
  [OtpErrorCode.SmsUnavailable]: {
    status: 503,
    meaning: 'The code could not be sent; try again later (with Retry-After: it may still arrive, and works if it does)',
  },
});

/** What OneTimeCodes.send can refuse with: a route that sends a code answers these (@AnswersErrors). */
export const SEND_OTP_REFUSALS = [
  OtpErrorCode.InvalidPhone,
  OtpErrorCode.OtpAddressLimit,
  OtpErrorCode.OtpCooldown,
  OtpErrorCode.OtpPhoneLimit,
  OtpErrorCode.SmsUnavailable,
  // The codes and their limits live in Redis: without it, 503 (answerOf).
  CommonErrorCode.ServiceUnavailable,
] as const;

/** What OneTimeCodes.verify can refuse with: a route that checks a code answers these. */
export const CHECK_OTP_REFUSALS = [
  OtpErrorCode.InvalidPhone,
  OtpErrorCode.OtpAddressLimit,
  OtpErrorCode.OtpExpired,
  OtpErrorCode.OtpInvalid,
  OtpErrorCode.OtpTooManyTries,
  CommonErrorCode.ServiceUnavailable,
] as const;
