import { errorCatalogue } from '@vouchers/common';

/** Why a resident gets no checkout code for a voucher. */
export enum CheckoutCodeErrorCode {
  VoucherNotFound = 'VOUCHER_NOT_FOUND',
  VoucherNotUsable = 'VOUCHER_NOT_USABLE',
}

export const CHECKOUT_CODE_ERRORS = errorCatalogue<CheckoutCodeErrorCode>('checkout codes', {
  [CheckoutCodeErrorCode.VoucherNotFound]: { status: 404, meaning: 'You hold no such voucher' },
  [CheckoutCodeErrorCode.VoucherNotUsable]: { status: 409, meaning: 'The voucher is not usable now (details.status)' },
});
