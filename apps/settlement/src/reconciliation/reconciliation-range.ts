import { AppError, isCalendarDate } from '@vouchers/common';
import { ReconciliationErrorCode as Code } from './reconciliation-errors';

/** The most business days one report covers: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;

/** Most differences listed per check; the count is always the full one. */
export const REPORT_LIST_LIMIT = 1_000;

export interface DayRange {
  from: string;
  to: string;
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** Checks a range of business days (both inclusive, YYYY-MM-DD): from ≤ to, at most MAX_RANGE_DAYS days. */
export function checkedRange(from: string, to: string): DayRange {
  if (!isCalendarDate(from) || !isCalendarDate(to)) {
    throw new AppError(Code.InvalidRange, 'from and to must be real YYYY-MM-DD dates');
  }
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < 1) throw new AppError(Code.InvalidRange, 'from must not be after to', { from, to });
  if (days > MAX_RANGE_DAYS) {
    throw new AppError(Code.RangeTooLong, `A report covers at most ${MAX_RANGE_DAYS} business days`, { days, maxDays: MAX_RANGE_DAYS });
  }
  return { from, to };
}
