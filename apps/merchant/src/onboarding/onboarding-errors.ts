import { errorCatalogue } from '@vouchers/common';

/** Answers of registration and of a merchant's own profile other than success. */
export enum OnboardingErrorCode {
  CreditCodeInvalid = 'CREDIT_CODE_INVALID',
  CreditCodeTaken = 'CREDIT_CODE_TAKEN',
  BankAccountInvalid = 'BANK_ACCOUNT_INVALID',
  CoordinatesInvalid = 'COORDINATES_INVALID',
  AdminNameInvalid = 'ADMIN_NAME_INVALID',
  MerchantNotEditable = 'MERCHANT_NOT_EDITABLE',
}

export const ONBOARDING_ERRORS = errorCatalogue<OnboardingErrorCode>('merchant onboarding', {
  [OnboardingErrorCode.CreditCodeInvalid]: { status: 400, meaning: 'Not a valid unified social credit code' },
  [OnboardingErrorCode.CreditCodeTaken]: { status: 409, meaning: 'A merchant with this credit code is already registered' },
  [OnboardingErrorCode.BankAccountInvalid]: { status: 400, meaning: 'A bank account number is 8-30 digits' },
  [OnboardingErrorCode.CoordinatesInvalid]: { status: 400, meaning: 'Latitude and longitude are given together, within range' },
  [OnboardingErrorCode.AdminNameInvalid]: { status: 400, meaning: 'A name is 1-64 characters' },
  [OnboardingErrorCode.MerchantNotEditable]: { status: 409, meaning: "The merchant's status does not allow changes (details.status)" },
});
