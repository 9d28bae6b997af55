import { businessDayOf, previousBusinessDay } from '@vouchers/common';
import { DayRange } from '../reconciliation/reconciliation-range';

/** The periods whose distinct party counts are stored: a business day, a week from a Monday, a month from its first day. */
export type PeriodKind = 'day' | 'week' | 'month';

export interface Period {
  kind: PeriodKind;
  start: string;
  end: string;
}

/**
 * How long after midnight (Asia/Shanghai) a day still counts as open: a redemption of the day
 * before may commit a moment after midnight. The nightly settlement waits longer (01:30).
 */
export const CLOSE_GRACE_MS = 10 * 60_000;

const DAY_MS = 86_400_000;
const dateOf = (day: string) => new Date(`${day}T00:00:00Z`);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const plusDays = (day: string, days: number) => dayOf(new Date(dateOf(day).getTime() + days * DAY_MS));

/** The last business day whose parties are final at `now`. */
export function lastClosedDay(now: Date): string {
  return previousBusinessDay(new Date(now.getTime() - CLOSE_GRACE_MS));
}

/** Today's business day at `now` (days after it are empty). */
export const todayAt = (now: Date): string => businessDayOf(now);

/** The period of kind `kind` that day `day` falls in. */
export function periodOf(kind: PeriodKind, day: string): Period {
  if (kind === 'day') return { kind, start: day, end: day };
  const date = dateOf(day);
  if (kind === 'week') {
    const start = plusDays(day, -((date.getUTCDay() + 6) % 7));
    return { kind, start, end: plusDays(start, 6) };
  }
  const start = dayOf(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)));
  return { kind, start, end: dayOf(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0))) };
}

/** The one period a range is exactly (a day, a Monday-to-Sunday week, a calendar month), or null. */
export function wholePeriod(range: DayRange): Period | null {
  for (const kind of ['day', 'week', 'month'] as const) {
    const period = periodOf(kind, range.from);
    if (period.start === range.from && period.end === range.to) return period;
  }
  return null;
}

/** Every period of kind `kind` with a day in from..to, in order. */
export function periodsTouching(kind: PeriodKind, range: DayRange): Period[] {
  const periods: Period[] = [];
  for (let period = periodOf(kind, range.from); period.start <= range.to; period = periodOf(kind, plusDays(period.end, 1))) periods.push(period);
  return periods;
}
