export enum SettlementErrorCode {
  BatchNotFound = 'BATCH_NOT_FOUND',
  LineNotFound = 'LINE_NOT_FOUND',
  InvalidTransition = 'INVALID_TRANSITION',
  FourEyes = 'FOUR_EYES_REQUIRED',
  CityOfficialRequired = 'CITY_OFFICIAL_REQUIRED',
  /** 409: the day has not ended in Shanghai (today, or later). */
  DayNotOver = 'BUSINESS_DAY_NOT_OVER',
  /** 422: the day is before the program's first day (PROGRAM_START_DATE). */
  DayBeforeProgram = 'BUSINESS_DAY_BEFORE_PROGRAM',
  /** 422: the day is more than SETTLEMENT_MAX_DAYS_BACK days back. */
  DayTooOld = 'BUSINESS_DAY_TOO_OLD',
}
