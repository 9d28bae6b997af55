/**
 * Answers of sign-in and real-name verification other than success. Each refusal has its
 * own code so the resident's app can say exactly what to fix.
 */
export enum ResidentErrorCode {
  InvalidPhone = 'INVALID_PHONE',
  OtpCooldown = 'OTP_COOLDOWN',
  OtpPhoneLimit = 'OTP_PHONE_LIMIT',
  OtpAddressLimit = 'OTP_ADDRESS_LIMIT',
  OtpTooManyTries = 'OTP_TOO_MANY_TRIES',
  OtpInvalid = 'OTP_INVALID',
  OtpExpired = 'OTP_EXPIRED',
  SmsUnavailable = 'SMS_UNAVAILABLE',
  RefreshTokenInvalid = 'REFRESH_TOKEN_INVALID',
  RefreshTokenExpired = 'REFRESH_TOKEN_EXPIRED',
  RefreshTokenRevoked = 'REFRESH_TOKEN_REVOKED',
  ResidentNotFound = 'RESIDENT_NOT_FOUND',
  RealNameInvalid = 'REAL_NAME_INVALID',
  IdNumberFormat = 'ID_NUMBER_FORMAT',
  IdNumberLegacy15 = 'ID_NUMBER_LEGACY_15',
  IdNumberFullWidth = 'ID_NUMBER_FULL_WIDTH',
  IdNumberWhitespace = 'ID_NUMBER_WHITESPACE',
  IdNumberChecksum = 'ID_NUMBER_CHECKSUM',
  IdNumberBirthDate = 'ID_NUMBER_BIRTH_DATE',
  IdNumberRegion = 'ID_NUMBER_REGION',
  IdNumberTaken = 'ID_NUMBER_TAKEN',
  AlreadyVerified = 'ALREADY_VERIFIED',
}
