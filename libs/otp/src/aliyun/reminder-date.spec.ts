import { reminderDateText } from './reminder-date';

describe('reminderDateText, the date an expiry reminder names', () => {
  it.each([
    ['2023-12-09', '12月9日'],
    ['2024-01-01', '1月1日'],
    ['2024-10-31', '10月31日'],
  ])('shows %s as %s', (date, text) => {
    expect(reminderDateText(date)).toBe(text);
  });

  it('refuses anything but a YYYY-MM-DD date', () => {
    expect(() => reminderDateText('2023-12-09T00:00:00Z')).toThrow(/not a YYYY-MM-DD date/);
  });
});
