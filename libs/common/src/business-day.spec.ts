import { businessDayOf, isCalendarDate, previousBusinessDay } from './business-day';

describe('business days (Asia/Shanghai)', () => {
  it('turns over at midnight in Shanghai, 16:00 UTC', () => {
    expect(businessDayOf(new Date('2026-11-27T15:59:59Z'))).toBe('2026-11-27');
    expect(businessDayOf(new Date('2026-11-27T16:00:00Z'))).toBe('2026-11-28');
  });

  it('settles the day before, across month and year ends', () => {
    expect(previousBusinessDay(new Date('2026-12-01T01:00:00Z'))).toBe('2026-11-30');
    expect(previousBusinessDay(new Date('2026-12-31T16:30:00Z'))).toBe('2026-12-31');
    expect(previousBusinessDay(new Date('2027-01-01T03:00:00Z'))).toBe('2026-12-31');
  });

  it('knows real dates', () => {
    expect(['2026-02-28', '2024-02-29'].every(isCalendarDate)).toBe(true);
    expect(['2026-02-29', '2026-13-01', '2026-1-1', '0000-01-01', '', 20261127].some(isCalendarDate)).toBe(false);
  });
});
