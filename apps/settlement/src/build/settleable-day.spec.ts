import { AppError } from '@vouchers/common';
import { refusalOfDay } from './settleable-day';

const rules = { programStartDate: '2026-03-01', settlementMaxDaysBack: 31 };
// 2026-12-02 10:00 in Shanghai.
const now = new Date('2026-12-02T02:00:00Z');
const codeOf = (day: string, at = now) => {
  const refusal = refusalOfDay(day, at, rules);
  return refusal && { code: refusal.code, status: refusal.status };
};

describe('refusalOfDay', () => {
  it('lets through a day that has ended, within the days back and after the program started', () => {
    expect(refusalOfDay('2026-12-01', now, rules)).toBeNull();
    expect(refusalOfDay('2026-11-01', now, rules)).toBeNull(); // 31 days back
  });

  it('refuses today and later (Shanghai) with 409 BUSINESS_DAY_NOT_OVER', () => {
    expect(codeOf('2026-12-02')).toEqual({ code: 'BUSINESS_DAY_NOT_OVER', status: 409 });
    expect(codeOf('2027-01-01')).toEqual({ code: 'BUSINESS_DAY_NOT_OVER', status: 409 });
    // 16:30 UTC on 12-01 is already 12-02 in Shanghai.
    expect(codeOf('2026-12-01', new Date('2026-12-01T16:30:00Z'))).toBeNull();
    expect(codeOf('2026-12-02', new Date('2026-12-01T16:30:00Z'))).toEqual({ code: 'BUSINESS_DAY_NOT_OVER', status: 409 });
  });

  it('refuses a day more than the configured days back with 422 BUSINESS_DAY_TOO_OLD, naming the earliest', () => {
    const refusal = refusalOfDay('2026-10-31', now, rules) as AppError;
    expect({ code: refusal.code, status: refusal.status }).toEqual({ code: 'BUSINESS_DAY_TOO_OLD', status: 422 });
    expect(refusal.details).toEqual({ maxDaysBack: 31, earliestDay: '2026-11-01' });
  });

  it('refuses a day before the program with 422 BUSINESS_DAY_BEFORE_PROGRAM, whatever the days back allow', () => {
    const wide = { ...rules, settlementMaxDaysBack: 36_500 };
    const refusal = refusalOfDay('1969-12-31', now, wide) as AppError;
    expect({ code: refusal.code, status: refusal.status }).toEqual({ code: 'BUSINESS_DAY_BEFORE_PROGRAM', status: 422 });
    expect(refusal.details).toEqual({ firstDay: '2026-03-01' });
    expect(refusalOfDay('2026-02-28', now, wide)?.code).toBe('BUSINESS_DAY_BEFORE_PROGRAM');
    expect(refusalOfDay('2026-03-01', now, wide)).toBeNull();
  });
});
