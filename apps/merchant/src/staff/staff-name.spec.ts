import { normaliseStaffName } from './staff-name';

describe('staff names', () => {
  it('trims and keeps names of 1-64 characters', () => {
    expect(normaliseStaffName('  收银员 王 ')).toBe('收银员 王');
    expect(normaliseStaffName('王')).toBe('王');
    expect(normaliseStaffName('𠀀'.repeat(64))).toBe('𠀀'.repeat(64));
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['x'.repeat(65), 'too long'],
    ['王\u200b五', 'an invisible character'],
    ['王\n五', 'a line break'],
  ])('refuses %j (%s)', (raw) => {
    expect(normaliseStaffName(raw)).toBeNull();
  });
});
