export enum SettlementErrorCode {
  BatchNotFound = 'BATCH_NOT_FOUND',
  LineNotFound = 'LINE_NOT_FOUND',
  InvalidTransition = 'INVALID_TRANSITION',
  FourEyes = 'FOUR_EYES_REQUIRED',
  CityOfficialRequired = 'CITY_OFFICIAL_REQUIRED',
  DayNotOver = 'BUSINESS_DAY_NOT_OVER',
}
