/** Why a scan was refused; each is a stable code the till can show. */
export enum CheckoutErrorCode {
  CodeMalformed = 'CODE_MALFORMED',
  CodeSignatureInvalid = 'CODE_SIGNATURE_INVALID',
  CodeExpired = 'CODE_EXPIRED',
  CodeReplayed = 'CODE_REPLAYED',
  CodeSuperseded = 'CODE_SUPERSEDED',
  OrderNoConflict = 'ORDER_NO_CONFLICT',
  CashierInactive = 'CASHIER_INACTIVE',
  VoucherNotHeld = 'VOUCHER_NOT_HELD',
  VoucherNotClaimed = 'VOUCHER_NOT_CLAIMED',
  VoucherExpired = 'VOUCHER_EXPIRED',
  MerchantNotApproved = 'MERCHANT_NOT_APPROVED',
  CategoryOutOfScope = 'CATEGORY_OUT_OF_SCOPE',
  DistrictOutOfScope = 'DISTRICT_OUT_OF_SCOPE',
  BelowThreshold = 'BELOW_THRESHOLD',
  RedemptionNotSaved = 'REDEMPTION_NOT_SAVED',
}
