import { AppError, businessDayOf, isCalendarDate } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { SettlementErrorCode } from '../batches/settlement-errors';

export type SettleableDayRules = Pick<AppConfig, 'programStartDate' | 'settlementMaxDaysBack'>;

const DAY_MS = 86_400_000;

/**
 * Which business days a batch may be opened for, at `now`: a real date that has ended in
 * Shanghai (409 BUSINESS_DAY_NOT_OVER), not before the program's first day (422
 * BUSINESS_DAY_BEFORE_PROGRAM) and at most settlementMaxDaysBack days back, yesterday being 1
 * (422 BUSINESS_DAY_TOO_OLD). A batch takes over every merchant's held and failed lines and open
 * clawbacks, so one opened for a day long past (1969-12-31 was taken) would pay them under a
 * wrong date. Only opening a day is checked: a batch already open is always built to the end.
 */
export function refusalOfDay(businessDate: string, now: Date, rules: SettleableDayRules): AppError | null {
  const today = businessDayOf(now);
  if (!isCalendarDate(businessDate) || businessDate >= today) {
    return new AppError(SettlementErrorCode.DayNotOver, `${businessDate} is not a business day that has ended (Asia/Shanghai)`);
  }
  if (businessDate < rules.programStartDate) {
    return new AppError(SettlementErrorCode.DayBeforeProgram, `${businessDate} is before the program's first day, ${rules.programStartDate}`, {
      firstDay: rules.programStartDate,
    });
  }
  const daysBack = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${businessDate}T00:00:00Z`)) / DAY_MS);
  if (daysBack > rules.settlementMaxDaysBack) {
    const earliest = new Date(Date.parse(`${today}T00:00:00Z`) - rules.settlementMaxDaysBack * DAY_MS).toISOString().slice(0, 10);
    return new AppError(
      SettlementErrorCode.DayTooOld,
      `${businessDate} is ${daysBack} days back; a batch is opened for a day at most ${rules.settlementMaxDaysBack} days back (${earliest} or later)`,
      { maxDaysBack: rules.settlementMaxDaysBack, earliestDay: earliest },
    );
  }
  return null;
}
