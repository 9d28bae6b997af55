import { csvLine, inertText } from './csv';

describe('CSV lines', () => {
  it('quote only fields that need it, doubling quotes', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, 29.87])).toBe('a,"b,c","say ""hi""","two\nlines",,29.87\r\n');
    expect(csvLine(['甬城"老字号",餐饮', 1234])).toBe('"甬城""老字号"",餐饮",1234\r\n');
  });

  it('make text that would run as a spreadsheet formula inert', () => {
    for (const text of ['=1+1', '+86', '-2', '@SUM(A1)', '\tx', '=HYPERLINK("http://x")']) expect(inertText(text)).toBe(`'${text}`);
    expect(inertText('甬城面馆')).toBe('甬城面馆');
    expect(inertText('6222021234567890123')).toBe('6222021234567890123');
    expect(inertText(null)).toBeNull();
  });
});
