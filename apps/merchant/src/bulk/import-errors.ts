import { errorCatalogue, rowProblemCatalogue } from '@vouchers/common';

/** Why a whole file is refused: 400 (413 past the byte limit), and nothing is written. */
export enum ImportErrorCode {
  BadHeader = 'IMPORT_BAD_HEADER',
  NotUtf8 = 'IMPORT_NOT_UTF8',
  Empty = 'IMPORT_EMPTY',
  TooLarge = 'IMPORT_TOO_LARGE',
  BadCsv = 'IMPORT_BAD_CSV',
}

/** Why one row is rejected; the other rows of the file go on. */
export enum RowErrorCode {
  WrongColumnCount = 'WRONG_COLUMN_COUNT',
  CreditCodeInvalid = 'CREDIT_CODE_INVALID',
  DuplicateInFile = 'DUPLICATE_IN_FILE',
  FieldMissing = 'FIELD_MISSING',
  FieldTooLong = 'FIELD_TOO_LONG',
  BadCharacter = 'BAD_CHARACTER',
  UnknownDistrict = 'UNKNOWN_DISTRICT',
  UnknownCategory = 'UNKNOWN_CATEGORY',
  BadCoordinates = 'BAD_COORDINATES',
  BadPhone = 'BAD_PHONE',
  BadAccountNumber = 'BAD_ACCOUNT_NUMBER',
  OutsideOfficialDistrict = 'OUTSIDE_OFFICIAL_DISTRICT',
  BankChangePending = 'BANK_CHANGE_PENDING',
}

export const IMPORT_ERRORS = errorCatalogue<ImportErrorCode>('merchant import', {
  [ImportErrorCode.BadHeader]: { status: 400, meaning: 'The file does not start with the expected header' },
  [ImportErrorCode.NotUtf8]: { status: 400, meaning: 'The file is not UTF-8 text' },
  [ImportErrorCode.Empty]: { status: 400, meaning: 'The file has no rows' },
  [ImportErrorCode.TooLarge]: { status: 400, meaning: 'The file has more rows than one import takes (details.maxRows)' },
  [ImportErrorCode.BadCsv]: { status: 400, meaning: 'The file is not well-formed CSV' },
});

export const IMPORT_ROW_PROBLEMS = rowProblemCatalogue<RowErrorCode>('merchant import rows', {
  [RowErrorCode.WrongColumnCount]: 'The row has more or fewer cells than the header',
  [RowErrorCode.CreditCodeInvalid]: 'Not a valid unified social credit code',
  [RowErrorCode.DuplicateInFile]: 'An earlier row of the file names the same thing',
  [RowErrorCode.FieldMissing]: 'A required cell is empty',
  [RowErrorCode.FieldTooLong]: 'A cell is longer than its field takes',
  [RowErrorCode.BadCharacter]: 'A cell holds a character the field does not take',
  [RowErrorCode.UnknownDistrict]: 'No such district',
  [RowErrorCode.UnknownCategory]: 'No such category',
  [RowErrorCode.BadCoordinates]: 'Latitude and longitude are not given together, or out of range',
  [RowErrorCode.BadPhone]: 'Not a mainland mobile number',
  [RowErrorCode.BadAccountNumber]: 'A bank account number is 8-30 digits',
  [RowErrorCode.OutsideOfficialDistrict]: 'A district official acted on another district',
  [RowErrorCode.BankChangePending]: "The row gives a bank account while the merchant's own change of account awaits review",
});
