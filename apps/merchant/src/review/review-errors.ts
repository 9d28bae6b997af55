import { errorCatalogue } from '@vouchers/common';

/** Answers of a decision on a merchant other than success, beyond the common ones. */
export enum ReviewErrorCode {
  /** The merchant changed (its payout account, say) after the official read the record they decided on. */
  MerchantChanged = 'MERCHANT_CHANGED',
}

export const REVIEW_ERRORS = errorCatalogue<ReviewErrorCode>('merchant review', {
  [ReviewErrorCode.MerchantChanged]: {
    status: 409,
    meaning: 'The merchant changed since the record the decision names (seenUpdatedAt) was read: read it again and decide on what it is now; nothing was done',
  },
});
