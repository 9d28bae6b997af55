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
