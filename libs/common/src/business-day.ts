import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of a moment: the settlement business day. */
export function businessDayOf(moment: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(moment);
}

/** The business day before the one `moment` falls on: what the nightly job settles. */
export function previousBusinessDay(moment: Date): string {
  const today = businessDayOf(moment);
  const day = new Date(`${today}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

/**
 * YYYY-MM-DD naming a day that exists, as IsBusinessDate accepts it: from year 0001 (Postgres
 * reads 0000-01-01 as out of range, and so does the ISO 8601 check of a parameter).
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
}

/**
 * Validates a DTO field as a business day: YYYY-MM-DD naming a day that exists. ISO 8601
 * alone would also let through "2026", "2026-W48" or a timestamp, which Postgres then reads
 * differently or not at all.
 */
export function IsBusinessDate(): PropertyDecorator {
  return applyDecorators(
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date as YYYY-MM-DD' }),
    IsISO8601({ strict: true }, { message: '$property must be a day that exists' }),
  );
}
