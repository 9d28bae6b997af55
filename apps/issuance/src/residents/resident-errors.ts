/**
 * Answers of sessions and real-name verification other than success. Each refusal has its
 * own code so the resident's app can say exactly what to fix. The one-time code's own
 * refusals (INVALID_PHONE, OTP_*, SMS_UNAVAILABLE) are OtpErrorCode of @vouchers/otp.
 */
export enum ResidentErrorCode {
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
