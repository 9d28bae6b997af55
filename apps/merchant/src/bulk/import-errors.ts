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
  BadCreditCode = 'BAD_CREDIT_CODE',
  DuplicateInFile = 'DUPLICATE_IN_FILE',
  FieldMissing = 'FIELD_MISSING',
  FieldTooLong = 'FIELD_TOO_LONG',
  BadCharacter = 'BAD_CHARACTER',
  UnknownDistrict = 'UNKNOWN_DISTRICT',
  UnknownCategory = 'UNKNOWN_CATEGORY',
  BadCoordinates = 'BAD_COORDINATES',
  BadPhone = 'BAD_PHONE',
  BadAccountNumber = 'BAD_ACCOUNT_NUMBER',
  DistrictOutOfScope = 'DISTRICT_OUT_OF_SCOPE',
}
