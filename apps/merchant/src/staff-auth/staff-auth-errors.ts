import { errorCatalogue } from '@vouchers/common';

/** Answers of staff sign-in other than success (the code's own refusals are OtpErrorCode). */
export enum StaffAuthErrorCode {
  MerchantChoiceRequired = 'MERCHANT_CHOICE_REQUIRED',
  NoMerchantAccess = 'NO_MERCHANT_ACCESS',
}

export const STAFF_AUTH_ERRORS = errorCatalogue<StaffAuthErrorCode>('staff sign-in', {
  [StaffAuthErrorCode.MerchantChoiceRequired]: { status: 409, meaning: 'The number works at several merchants; send merchantId (details list them)' },
  [StaffAuthErrorCode.NoMerchantAccess]: { status: 403, meaning: 'The number is not on the active staff of that merchant, or of any' },
});
