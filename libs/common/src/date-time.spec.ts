import { validateSync } from 'class-validator';
import { isDateTimeWithOffset, IsDateTimeWithOffset } from './date-time';

describe('date-times with an offset', () => {
  it('takes a real date and time with Z or ±HH:MM, to the minute or to the fraction of a second', () => {
    const accepted = ['2026-12-05T10:00:00+08:00', '2026-12-05T02:00:00Z', '2026-12-05T10:00+08:00', '2026-12-05T10:00:00.123-05:30', '2024-02-29T23:59:59.999999Z'];
    expect(accepted.filter((value) => !isDateTimeWithOffset(value))).toEqual([]);
  });

  it('refuses a time without an offset, a date alone, a loose form, and a moment that does not exist', () => {
    const refused = [
      '2026-12-05 10:00',
      '2026-12-05T10:00:00',
      '2026-12-05T10:00:00.000',
      '2026-12-05',
      '2026-12-05 10:00+08:00',
      '2026-12-05t10:00:00z',
      '2026-12-05T10:00:00+0800',
      '2026-12-05T10:00:00+08',
      '2026-12-05T24:00:00Z',
      '2026-02-29T10:00:00Z',
      '2026-12-05T10:00:00+25:00',
      20261205,
      null,
    ];
    expect(refused.filter((value) => isDateTimeWithOffset(value))).toEqual([]);
  });

  it('names the field in its message', () => {
    class Body {
      @IsDateTimeWithOffset({ description: 'When' })
      at: unknown;
    }
    const body = Object.assign(new Body(), { at: '2026-12-05 10:00' });
    expect(validateSync(body).flatMap((error) => Object.values(error.constraints ?? {}))).toEqual([
      'at must be a date-time with an offset, as 2026-12-05T10:00:00+08:00 or 2026-12-05T02:00:00Z',
    ]);
  });
});
