import { errorCatalogue } from '@vouchers/common';

/** The refusal of a merchant caller whose staff row no longer lets them act. */
export enum MerchantCallerErrorCode {
  /** 403: the staff member was disabled (or removed) after the token was issued. */
  StaffInactive = 'STAFF_INACTIVE',
}

export const MERCHANT_CALLER_ERRORS = errorCatalogue<MerchantCallerErrorCode>('merchant caller', {
  [MerchantCallerErrorCode.StaffInactive]: { status: 403, meaning: 'Your staff account was disabled (or removed) after you signed in; ask your merchant admin' },
});
