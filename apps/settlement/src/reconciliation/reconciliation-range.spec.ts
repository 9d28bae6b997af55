import { AppError } from '@vouchers/common';
import { checkedRange, MAX_RANGE_DAYS } from './reconciliation-range';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? `${error.status} ${error.code}` : 'not an AppError';
  }
  return undefined;
}

describe('checkedRange', () => {
  it('takes one day, and up to a leap year of days', () => {
    expect(checkedRange('2026-11-27', '2026-11-27')).toEqual({ from: '2026-11-27', to: '2026-11-27' });
    expect(checkedRange('2024-01-01', '2024-12-31')).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(MAX_RANGE_DAYS).toBe(366);
  });

  it('refuses a reversed range, a range over 366 days and dates that do not exist', () => {
    expect(codeOf(() => checkedRange('2026-11-28', '2026-11-27'))).toBe('400 INVALID_RANGE');
    expect(codeOf(() => checkedRange('2024-01-01', '2025-01-01'))).toBe('400 RANGE_TOO_LONG');
    expect(codeOf(() => checkedRange('2025-01-01', '2026-01-02'))).toBe('400 RANGE_TOO_LONG');
    expect(codeOf(() => checkedRange('2025-01-01', '2026-01-01'))).toBeUndefined();
    expect(codeOf(() => checkedRange('2025-01-01', '2025-12-31'))).toBeUndefined();
    expect(codeOf(() => checkedRange('2026-02-30', '2026-03-01'))).toBe('400 INVALID_RANGE');
  });
});
