import { errorCatalogue } from '@vouchers/common';

/**
 * Answers of real-name verification other than success. Each refusal has its own code so the
 * resident's app can say exactly what to fix. The one-time code's own refusals (INVALID_PHONE,
 * OTP_*, SMS_UNAVAILABLE) are OtpErrorCode of @vouchers/otp; a refresh token's
 * (REFRESH_TOKEN_*) are SessionErrorCode of @vouchers/sessions.
 */
export enum ResidentErrorCode {
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

export const RESIDENT_ERRORS = errorCatalogue<ResidentErrorCode>('residents', {
  [ResidentErrorCode.ResidentNotFound]: { status: 404, meaning: 'No such resident; sign in again' },
  [ResidentErrorCode.RealNameInvalid]: { status: 400, meaning: 'A name is 2-64 characters and has no digits' },
  [ResidentErrorCode.IdNumberFormat]: { status: 400, meaning: 'An ID number is 17 digits and a check character' },
  [ResidentErrorCode.IdNumberLegacy15]: { status: 400, meaning: 'A 15-digit ID number is no longer accepted' },
  [ResidentErrorCode.IdNumberFullWidth]: { status: 400, meaning: 'The ID number has full-width characters' },
  [ResidentErrorCode.IdNumberWhitespace]: { status: 400, meaning: 'The ID number has spaces' },
  [ResidentErrorCode.IdNumberChecksum]: { status: 400, meaning: "The ID number's check character is wrong" },
  [ResidentErrorCode.IdNumberBirthDate]: { status: 400, meaning: 'The ID number holds no real birth date' },
  [ResidentErrorCode.IdNumberRegion]: { status: 400, meaning: 'The ID number holds no known region' },
  [ResidentErrorCode.IdNumberTaken]: { status: 409, meaning: 'This ID number is already verified on another account' },
  [ResidentErrorCode.AlreadyVerified]: { status: 409, meaning: 'This account is already verified with another ID number' },
});
