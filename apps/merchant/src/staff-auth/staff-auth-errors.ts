/** Answers of staff sign-in other than success (the code's own refusals are OtpErrorCode). */
export enum StaffAuthErrorCode {
  MerchantChoiceRequired = 'MERCHANT_CHOICE_REQUIRED',
  NoMerchantAccess = 'NO_MERCHANT_ACCESS',
}
