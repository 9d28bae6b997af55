import { creditCodeCheckChar, isValidCreditCode } from './credit-code';

describe('unified social credit code', () => {
  // Published codes of well-known companies, used only as checksum fixtures.
  const published = ['91330000142916567N', '91110000802100433B', '914403001922038216'];

  it.each(published)('accepts the published code %s', (code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });

  it('refuses every single-character change of a valid code', () => {
    const code = published[0];
    for (let i = 0; i < 18; i++) {
      const replacement = code[i] === '1' ? '2' : '1';
      expect(isValidCreditCode(code.slice(0, i) + replacement + code.slice(i + 1))).toBe(false);
    }
  });

  it('refuses letters outside the alphabet, wrong lengths and lower case', () => {
    expect(isValidCreditCode('91330000142916567')).toBe(false);
    expect(isValidCreditCode('9133000014291656IN')).toBe(false);
    expect(isValidCreditCode('91330000142916567n')).toBe(false);
    expect(creditCodeCheckChar('9133000014291656O')).toBeNull();
  });
});
