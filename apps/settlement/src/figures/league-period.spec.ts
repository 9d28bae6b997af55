import { AppError } from '@vouchers/common';
import { daysOf, periodRange } from './league-period';

describe('league periods', () => {
  it('a week runs Monday to Sunday', () => {
    expect(periodRange('week', '2026-11-30')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
  });

  it('a month runs to its last day, February of a leap year included', () => {
    expect(periodRange('month', '2028-02-01')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodRange('month', '2026-12-01')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('refuses a start that is not the period’s first day', () => {
    expect(() => periodRange('week', '2026-12-01')).toThrow(AppError);
    expect(() => periodRange('month', '2026-12-02')).toThrow(AppError);
  });

  it('lists every day of a range', () => {
    expect(daysOf({ from: '2026-12-30', to: '2027-01-02' })).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });
});
