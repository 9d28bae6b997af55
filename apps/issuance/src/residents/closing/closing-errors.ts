import { errorCatalogue } from '@vouchers/common';

/**
 * Refusals of a resident's account closing other than the one-time code's own (OTP_*,
 * SMS_UNAVAILABLE: OtpErrorCode of @vouchers/otp). Each changes nothing.
 */
export enum ClosingErrorCode {
  UnusedVouchers = 'UNUSED_VOUCHERS',
}

export const CLOSING_ERRORS = errorCatalogue<ClosingErrorCode>('resident account closing', {
  [ClosingErrorCode.UnusedVouchers]: {
    status: 409,
    meaning: 'The account holds unused vouchers (details.count); use them first, or close with giveUpVouchers: true',
  },
});
