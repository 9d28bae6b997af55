import { lastClosedDay, periodOf, periodsTouching, wholePeriod } from './party-periods';

describe('periods of stored party counts', () => {
  it('a day closes ten minutes after midnight in Shanghai (16:00 UTC)', () => {
    expect(lastClosedDay(new Date('2026-12-04T16:09:59Z'))).toBe('2026-12-03');
    expect(lastClosedDay(new Date('2026-12-04T16:10:00Z'))).toBe('2026-12-04');
  });

  it('a range is a whole period only when it is exactly one day, Monday-to-Sunday week or calendar month', () => {
    expect(wholePeriod({ from: '2026-12-04', to: '2026-12-04' })).toEqual({ kind: 'day', start: '2026-12-04', end: '2026-12-04' });
    expect(wholePeriod({ from: '2026-11-30', to: '2026-12-06' })).toEqual({ kind: 'week', start: '2026-11-30', end: '2026-12-06' });
    expect(wholePeriod({ from: '2028-02-01', to: '2028-02-29' })).toEqual({ kind: 'month', start: '2028-02-01', end: '2028-02-29' });
    expect(wholePeriod({ from: '2026-12-01', to: '2026-12-07' })).toBeNull();
    expect(wholePeriod({ from: '2026-11-01', to: '2026-12-01' })).toBeNull();
  });

  it('lists the weeks and months a range touches, across a year end', () => {
    expect(periodOf('week', '2027-01-03')).toEqual({ kind: 'week', start: '2026-12-28', end: '2027-01-03' });
    expect(periodsTouching('week', { from: '2026-12-31', to: '2027-01-04' }).map((period) => period.start)).toEqual(['2026-12-28', '2027-01-04']);
    expect(periodsTouching('month', { from: '2026-12-31', to: '2027-01-01' }).map((period) => period.end)).toEqual(['2026-12-31', '2027-01-31']);
    expect(periodsTouching('day', { from: '2026-12-31', to: '2027-01-01' })).toHaveLength(2);
  });
});
