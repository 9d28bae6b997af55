export enum RefundErrorCode {
  RedemptionNotFound = 'REDEMPTION_NOT_FOUND',
  RefundNoConflict = 'REFUND_NO_CONFLICT',
  RefundExceedsOrder = 'REFUND_EXCEEDS_ORDER',
  RefundLessThanDiscount = 'REFUND_LESS_THAN_DISCOUNT',
  CashierInactive = 'CASHIER_INACTIVE',
}
