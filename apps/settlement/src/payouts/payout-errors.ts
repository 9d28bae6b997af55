/**
 * Why a payout file or a bank result file is refused. Nothing is written when one is: no
 * line, batch, ledger or audit change. (Batch-level codes, BATCH_NOT_FOUND, INVALID_TRANSITION
 * and CITY_OFFICIAL_REQUIRED, are the batches' own: SettlementErrorCode.)
 */
export enum PayoutErrorCode {
  /** 409: lines to pay lack bank details (or they cannot be read); the file would not pay them. */
  BankDetailsMissing = 'BANK_DETAILS_MISSING',
  /** 400: the result file cannot be read as a whole. */
  ResultsNotUtf8 = 'RESULTS_NOT_UTF8',
  ResultsBadCsv = 'RESULTS_BAD_CSV',
  ResultsBadHeader = 'RESULTS_BAD_HEADER',
  ResultsEmpty = 'RESULTS_EMPTY',
  /** 422: rows of the result file are wrong; details.problems lists them by line. */
  ResultsInvalid = 'RESULTS_INVALID',
  /** 409: rows contradict results already recorded (paid vs failed); details.conflicts lists them. */
  ResultsConflict = 'RESULTS_CONFLICT',
}

/** What is wrong with one row of a result file. */
export enum ResultRowErrorCode {
  WrongColumnCount = 'WRONG_COLUMN_COUNT',
  BadLineId = 'BAD_LINE_ID',
  /** Not a line of this batch. */
  UnknownLine = 'UNKNOWN_LINE',
  /** A line of this batch that was never in its payout file: held, or nothing to pay. */
  LineNotPayable = 'LINE_NOT_PAYABLE',
  BadResult = 'BAD_RESULT',
  ReasonRequired = 'REASON_REQUIRED',
  ReasonTooLong = 'REASON_TOO_LONG',
  DuplicateInFile = 'DUPLICATE_IN_FILE',
}
