import { AppError } from '@vouchers/common';
import { DayRange } from '../reconciliation/reconciliation-range';
import { FiguresErrorCode } from './figures-errors';

export const LEAGUE_PERIODS = ['week', 'month'] as const;
export type LeaguePeriod = (typeof LEAGUE_PERIODS)[number];

const DAY_MS = 86_400_000;
/** The end of 9999-12-31: the last day a YYYY-MM-DD date names. */
const LAST_DAY_END = Date.UTC(10000, 0, 1);
const dateOf = (day: string) => new Date(`${day}T00:00:00Z`);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** Every day from..to, inclusive (YYYY-MM-DD, checked beforehand). */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  for (let at = dateOf(range.from).getTime(); at <= dateOf(range.to).getTime(); at += DAY_MS) days.push(dayOf(new Date(at)));
  return days;
}

/** The business days of a league table's week (from a Monday) or month (from its first day); any other start is refused. */
export function periodRange(period: LeaguePeriod, start: string): DayRange {
  const first = dateOf(start);
  if (period === 'week') {
    if (first.getUTCDay() !== 1) throw new AppError(FiguresErrorCode.InvalidPeriodStart, 'A week starts on a Monday', { start, expected: 'a Monday' });
    // The last Monday of 9999 starts a week that ends in a year no date here can name.
    if (first.getTime() + 6 * DAY_MS >= LAST_DAY_END) throw new AppError(FiguresErrorCode.InvalidPeriodStart, 'This week runs past 9999-12-31', { start });
    return { from: start, to: dayOf(new Date(first.getTime() + 6 * DAY_MS)) };
  }
  if (first.getUTCDate() !== 1) throw new AppError(FiguresErrorCode.InvalidPeriodStart, 'A month starts on its first day', { start, expected: 'YYYY-MM-01' });
  return { from: start, to: dayOf(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0))) };
}
