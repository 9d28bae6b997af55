export * from './money';
export * from './ids';
export * from './errors';
export * from './pagination';
export * from './districts';
export * from './timeout';
export * from './credit-code';
export * from './bank-account';
export { businessDayOf, IsBusinessDate, isCalendarDate, previousBusinessDay } from './business-day';
