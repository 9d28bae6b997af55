import { csvLine, inertText } from './merchant-csv';

describe('merchant CSV lines', () => {
  it('quote only fields that need it, doubling quotes', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, 29.87])).toBe('a,"b,c","say ""hi""","two\nlines",,29.87\r\n');
  });

  it('make text that would run as a spreadsheet formula inert', () => {
    expect(inertText('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(inertText('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(inertText('甬城面馆')).toBe('甬城面馆');
    expect(inertText(null)).toBeNull();
  });
});
