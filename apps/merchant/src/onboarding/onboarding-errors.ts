/** Answers of registration and of a merchant's own profile other than success. */
export enum OnboardingErrorCode {
  CreditCodeInvalid = 'CREDIT_CODE_INVALID',
  CreditCodeTaken = 'CREDIT_CODE_TAKEN',
  BankAccountInvalid = 'BANK_ACCOUNT_INVALID',
  CoordinatesInvalid = 'COORDINATES_INVALID',
  AdminNameInvalid = 'ADMIN_NAME_INVALID',
  NothingToChange = 'NOTHING_TO_CHANGE',
  MerchantNotEditable = 'MERCHANT_NOT_EDITABLE',
  MerchantNotFound = 'MERCHANT_NOT_FOUND',
}
