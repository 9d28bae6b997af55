import { csvLine, inertText } from './payout-csv';

describe('payout CSV lines', () => {
  it('quote only fields that need it, doubling quotes', () => {
    expect(csvLine(['a', '甬城"老字号",餐饮', 'two\nlines', null, 1234])).toBe('a,"甬城""老字号"",餐饮","two\nlines",,1234\r\n');
  });

  it('make text that would run as a spreadsheet formula inert', () => {
    for (const text of ['=1+1', '+86', '-2', '@SUM(A1)', '\tx']) expect(inertText(text)).toBe(`'${text}`);
    expect(inertText('6222021234567890123')).toBe('6222021234567890123');
    expect(inertText(null)).toBeNull();
  });
});
