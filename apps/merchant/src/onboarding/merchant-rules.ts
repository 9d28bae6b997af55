import { AppError, bankAccountDigits, isValidCreditCode } from '@vouchers/common';
import { OnboardingErrorCode } from './onboarding-errors';

/**
 * Rules on what a merchant tells us about itself, pure so unit tests reach them. The DTOs
 * check types and lengths; these check meaning, each refusal with its own code.
 */

/** 统一社会信用代码 as typed: spaces dropped, letters upper-cased, then the MOD 31 check. */
export function requireCreditCode(raw: string): string {
  const code = raw.replace(/\s+/g, '').toUpperCase();
  if (!isValidCreditCode(code)) {
    throw new AppError(
      OnboardingErrorCode.CreditCodeInvalid,
      'The unified social credit code must be 18 characters (digits and letters without I, O, S, V, Z) with a valid check character',
    );
  }
  return code;
}

/** A bank account number: 8-30 digits; spaces as printed on cards are forgiven, nothing else (bankAccountDigits, which the till checks too). */
export function requireBankAccountNumber(raw: string): string {
  const digits = bankAccountDigits(raw);
  if (digits === null) {
    throw new AppError(OnboardingErrorCode.BankAccountInvalid, 'A bank account number is 8-30 digits');
  }
  return digits;
}

export interface Coordinates {
  latitude: number | null;
  longitude: number | null;
}

/** Both or neither, each in range; a shop with half a position cannot be put on a map. */
export function requireCoordinates(latitude: number | null | undefined, longitude: number | null | undefined): Coordinates {
  const hasLatitude = latitude !== undefined && latitude !== null;
  const hasLongitude = longitude !== undefined && longitude !== null;
  if (!hasLatitude && !hasLongitude) return { latitude: null, longitude: null };
  if (hasLatitude !== hasLongitude) {
    throw new AppError(OnboardingErrorCode.CoordinatesInvalid, 'Give latitude and longitude together, or neither');
  }
  const inRange = Number.isFinite(latitude) && Number.isFinite(longitude) && Math.abs(latitude as number) <= 90 && Math.abs(longitude as number) <= 180;
  if (!inRange) {
    throw new AppError(OnboardingErrorCode.CoordinatesInvalid, 'Latitude is -90 to 90 and longitude -180 to 180');
  }
  return { latitude: latitude as number, longitude: longitude as number };
}
