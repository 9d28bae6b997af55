export enum ReconciliationErrorCode {
  /** from is after to. */
  InvalidRange = 'INVALID_RANGE',
  /** More business days than one report covers. */
  RangeTooLong = 'RANGE_TOO_LONG',
}
