import { errorCatalogue } from '@vouchers/common';

export enum ReconciliationErrorCode {
  /** from is after to. */
  InvalidRange = 'INVALID_RANGE',
  /** More business days than one report covers. */
  RangeTooLong = 'RANGE_TOO_LONG',
}

export const RECONCILIATION_ERRORS = errorCatalogue<ReconciliationErrorCode>('reconciliation', {
  [ReconciliationErrorCode.InvalidRange]: { status: 400, meaning: 'from and to are not real YYYY-MM-DD days, or from is after to' },
  [ReconciliationErrorCode.RangeTooLong]: { status: 400, meaning: 'The range covers more business days than one report does (details.maxDays)' },
});
