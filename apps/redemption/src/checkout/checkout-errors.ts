import { errorCatalogue } from '@vouchers/common';

/** Why a scan was refused; each is a stable code the till can show. */
export enum CheckoutErrorCode {
  CodeMalformed = 'CODE_MALFORMED',
  CodeSignatureInvalid = 'CODE_SIGNATURE_INVALID',
  CodeExpired = 'CODE_EXPIRED',
  CodeReplayed = 'CODE_REPLAYED',
  CodeSuperseded = 'CODE_SUPERSEDED',
  OrderNoConflict = 'ORDER_NO_CONFLICT',
  VoucherNotHeld = 'VOUCHER_NOT_HELD',
  VoucherNotClaimed = 'VOUCHER_NOT_CLAIMED',
  VoucherExpired = 'VOUCHER_EXPIRED',
  MerchantNotApproved = 'MERCHANT_NOT_APPROVED',
  CategoryOutOfScope = 'CATEGORY_OUT_OF_SCOPE',
  DistrictOutOfScope = 'DISTRICT_OUT_OF_SCOPE',
  BelowThreshold = 'BELOW_THRESHOLD',
  RedemptionNotSaved = 'REDEMPTION_NOT_SAVED',
}

export const CHECKOUT_ERRORS = errorCatalogue<CheckoutErrorCode>('checkout', {
  [CheckoutErrorCode.CodeMalformed]: { status: 400, meaning: 'Not a voucher code; scan again' },
  [CheckoutErrorCode.CodeSignatureInvalid]: { status: 400, meaning: 'The voucher code is not genuine' },
  [CheckoutErrorCode.CodeExpired]: { status: 422, meaning: 'The code has expired; the customer refreshes it' },
  [CheckoutErrorCode.CodeReplayed]: { status: 409, meaning: 'The code was already scanned; ask for a new one' },
  [CheckoutErrorCode.CodeSuperseded]: { status: 409, meaning: 'A newer code replaced this one; scan the code shown now' },
  [CheckoutErrorCode.OrderNoConflict]: { status: 409, meaning: 'The order number was already used (with another code or amount)' },
  [CheckoutErrorCode.VoucherNotHeld]: { status: 422, meaning: "The code does not match one of the customer's vouchers" },
  [CheckoutErrorCode.VoucherNotClaimed]: { status: 409, meaning: 'The voucher is not usable: already used, or details.status' },
  [CheckoutErrorCode.VoucherExpired]: { status: 422, meaning: 'The voucher has expired' },
  [CheckoutErrorCode.MerchantNotApproved]: { status: 403, meaning: 'The merchant is not approved for vouchers' },
  [CheckoutErrorCode.CategoryOutOfScope]: { status: 422, meaning: "The voucher is not for this shop's category" },
  [CheckoutErrorCode.DistrictOutOfScope]: { status: 422, meaning: "The voucher is not for this shop's district" },
  [CheckoutErrorCode.BelowThreshold]: { status: 422, meaning: 'The order is below the spend threshold of the voucher' },
  [CheckoutErrorCode.RedemptionNotSaved]: { status: 503, meaning: 'The voucher could not be applied just now; the code stays good, scan it again (Retry-After)' },
});
