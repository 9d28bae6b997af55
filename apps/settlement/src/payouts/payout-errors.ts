import { errorCatalogue, rowProblemCatalogue } from '@vouchers/common';

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
  /** The reason holds the NUL character (U+0000), which no text column can keep. */
  ReasonNotText = 'REASON_NOT_TEXT',
  DuplicateInFile = 'DUPLICATE_IN_FILE',
}

export const PAYOUT_ERRORS = errorCatalogue<PayoutErrorCode>('payouts', {
  [PayoutErrorCode.BankDetailsMissing]: { status: 409, meaning: 'Lines to pay lack usable bank details (details.lines); hold them and approve again' },
  [PayoutErrorCode.ResultsNotUtf8]: { status: 400, meaning: 'The bank result file is not UTF-8 text' },
  [PayoutErrorCode.ResultsBadCsv]: { status: 400, meaning: 'The bank result file is not well-formed CSV' },
  [PayoutErrorCode.ResultsBadHeader]: { status: 400, meaning: 'The bank result file does not start with the expected header' },
  [PayoutErrorCode.ResultsEmpty]: { status: 400, meaning: 'The bank result file has no rows' },
  [PayoutErrorCode.ResultsInvalid]: { status: 422, meaning: 'Rows of the bank result file are wrong (details.problems, by line); nothing was applied' },
  [PayoutErrorCode.ResultsConflict]: { status: 409, meaning: 'Rows contradict results already recorded (details.conflicts); nothing was applied' },
});

export const RESULT_ROW_PROBLEMS = rowProblemCatalogue<ResultRowErrorCode>('bank result rows', {
  [ResultRowErrorCode.WrongColumnCount]: 'The row has more or fewer cells than the header',
  [ResultRowErrorCode.BadLineId]: 'The line id is not a UUID',
  [ResultRowErrorCode.UnknownLine]: 'Not a line of this batch',
  [ResultRowErrorCode.LineNotPayable]: 'A line of this batch that was not in its payout file (held, or nothing to pay)',
  [ResultRowErrorCode.BadResult]: 'The result is neither paid nor failed',
  [ResultRowErrorCode.ReasonRequired]: 'A failed line needs a reason',
  [ResultRowErrorCode.ReasonTooLong]: 'The reason is longer than a reason may be',
  [ResultRowErrorCode.ReasonNotText]: 'The reason holds the NUL character (U+0000)',
  [ResultRowErrorCode.DuplicateInFile]: 'An earlier row of the file names the same thing',
});

/** Why a line to pay cannot go in a payout file (details.lines of BANK_DETAILS_MISSING). */
export const PAYOUT_LINE_PROBLEMS = rowProblemCatalogue<'BANK_DETAILS_MISSING' | 'BANK_ACCOUNT_UNREADABLE'>('payout lines', {
  BANK_DETAILS_MISSING: "The merchant's bank details (holder, bank, number) are incomplete",
  BANK_ACCOUNT_UNREADABLE: "The merchant's bank account number cannot be read",
});
