import { errorCatalogue } from '@vouchers/common';

export enum SettlementErrorCode {
  BatchNotFound = 'BATCH_NOT_FOUND',
  LineNotFound = 'LINE_NOT_FOUND',
  CityOfficialRequired = 'CITY_OFFICIAL_REQUIRED',
  /** 409: the day has not ended in Shanghai (today, or later). */
  DayNotOver = 'BUSINESS_DAY_NOT_OVER',
  /** 422: the day is before the program's first day (PROGRAM_START_DATE). */
  DayBeforeProgram = 'BUSINESS_DAY_BEFORE_PROGRAM',
  /** 422: the day is more than SETTLEMENT_MAX_DAYS_BACK days back. */
  DayTooOld = 'BUSINESS_DAY_TOO_OLD',
}

export const SETTLEMENT_ERRORS = errorCatalogue<SettlementErrorCode>('settlement batches', {
  [SettlementErrorCode.BatchNotFound]: { status: 404, meaning: 'No such settlement batch' },
  [SettlementErrorCode.LineNotFound]: { status: 404, meaning: 'The batch has no such line waiting for payment' },
  [SettlementErrorCode.CityOfficialRequired]: { status: 403, meaning: 'Settlement is city money: read, decided and paid by city-wide officials only' },
  [SettlementErrorCode.DayNotOver]: { status: 409, meaning: 'The business day has not ended in Shanghai' },
  [SettlementErrorCode.DayBeforeProgram]: { status: 422, meaning: "The day is before the program's first day (details.firstDay)" },
  [SettlementErrorCode.DayTooOld]: { status: 422, meaning: 'The day is further back than a batch may be opened for (details.earliestDay)' },
});
