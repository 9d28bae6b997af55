import { errorCatalogue } from '@vouchers/common';

export enum RefundErrorCode {
  RedemptionNotFound = 'REDEMPTION_NOT_FOUND',
  RefundNoConflict = 'REFUND_NO_CONFLICT',
  RefundExceedsOrder = 'REFUND_EXCEEDS_ORDER',
  RefundLessThanDiscount = 'REFUND_LESS_THAN_DISCOUNT',
}

export const REFUND_ERRORS = errorCatalogue<RefundErrorCode>('refunds', {
  [RefundErrorCode.RedemptionNotFound]: { status: 404, meaning: 'This merchant has no such redemption' },
  [RefundErrorCode.RefundNoConflict]: { status: 409, meaning: 'The refund number was already used for another refund (details.refundId)' },
  [RefundErrorCode.RefundExceedsOrder]: { status: 422, meaning: 'The refund is more than is left of the order (details.refundableFen)' },
  [RefundErrorCode.RefundLessThanDiscount]: { status: 422, meaning: 'The refund would take back a discount larger than itself (details.discountFen)' },
});
