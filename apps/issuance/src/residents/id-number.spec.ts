import { checkIdNumber, chinaToday, hashIdNumber, idNumberCheckChar, isPlausibleBirthDate, maskIdNumber } from './id-number';

const TODAY = '20261127';

function codeOf(raw: string, today = TODAY): string {
  const result = checkIdNumber(raw, today);
  return result.valid ? 'VALID' : result.code;
}

describe('the MOD 11-2 check character', () => {
  // Worked by hand, weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check chars "10X98765432":
  //   11010519491231002: 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → X
  //   44052418800101001: 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8 → 4
  it('matches two hand-checked numbers', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberCheckChar('44052418800101001')).toBe('4');
  });

  it('is null for anything but 17 ASCII digits', () => {
    expect(idNumberCheckChar('1101051949123100')).toBeNull();
    expect(idNumberCheckChar('1101051949123100X')).toBeNull();
  });
});

/** Only trusted once the hand-checked cases above pass. */
const withCheck = (first17: string) => `${first17}${idNumberCheckChar(first17)}`;

describe('checkIdNumber', () => {
  it.each([
    '11010519491231002X',
    withCheck('33020319900101123'),
    withCheck('82000020000229001'), // Macau, a leap day
    withCheck('71000019000101001'), // Taiwan, the earliest date accepted
    withCheck(`650102${TODAY}001`), // born today
  ])('accepts %s', (idNumber) => {
    expect(checkIdNumber(idNumber, TODAY)).toEqual({ valid: true, idNumber });
  });

  it('accepts a lowercase x and returns it as X', () => {
    expect(checkIdNumber('11010519491231002x', TODAY)).toEqual({ valid: true, idNumber: '11010519491231002X' });
  });

  it('refuses the hand-checked 1880 number on its birth date, though its check character is right', () => {
    expect(codeOf('440524188001010014')).toBe('ID_NUMBER_BIRTH_DATE');
  });

  it.each([
    ['110105 19491231002X', 'ID_NUMBER_WHITESPACE'],
    [' 11010519491231002X', 'ID_NUMBER_WHITESPACE'],
    ['11010519491231002X\n', 'ID_NUMBER_WHITESPACE'],
    ['11010519491231002X\u3000', 'ID_NUMBER_WHITESPACE'],
    ['１１０１０５１９４９１２３１００２Ｘ', 'ID_NUMBER_FULL_WIDTH'],
    ['11010519491231002ｘ', 'ID_NUMBER_FULL_WIDTH'],
    ['11010519491231００2X', 'ID_NUMBER_FULL_WIDTH'],
    ['110105491231002', 'ID_NUMBER_LEGACY_15'],
    ['', 'ID_NUMBER_FORMAT'],
    ['1101051949123100', 'ID_NUMBER_FORMAT'],
    ['11010519491231002XX', 'ID_NUMBER_FORMAT'],
    ['11010519491231002Y', 'ID_NUMBER_FORMAT'],
    ['1101051949123100X2', 'ID_NUMBER_FORMAT'],
    ['11010519491231002-', 'ID_NUMBER_FORMAT'],
  ])('refuses %j with %s', (raw, code) => {
    expect(codeOf(raw)).toBe(code);
  });

  it.each(['00', '10', '16', '20', '24', '30', '38', '40', '47', '49', '55', '60', '66', '70', '72', '80', '83', '90', '99'])(
    'refuses province code %s',
    (province) => {
      expect(codeOf(withCheck(`${province}010219900101123`))).toBe('ID_NUMBER_REGION');
    },
  );

  it.each(['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82'])(
    'accepts province code %s',
    (province) => {
      expect(codeOf(withCheck(`${province}010219900101123`))).toBe('VALID');
    },
  );

  it.each([
    ['18991231', 'before 1900'],
    ['20230229', 'not a leap year'],
    ['19000229', '1900 was not a leap year'],
    ['20240230', 'no 30 February'],
    ['20240431', 'no 31 April'],
    ['20241301', 'month 13'],
    ['20240001', 'month 0'],
    ['20240100', 'day 0'],
    ['20261128', 'tomorrow'],
    ['30000101', 'far future'],
  ])('refuses birth date %s (%s)', (date) => {
    expect(codeOf(withCheck(`330203${date}123`))).toBe('ID_NUMBER_BIRTH_DATE');
  });

  it('refuses a wrong check character, and a slip in any address or sequence digit', () => {
    expect(codeOf('110105194912310021')).toBe('ID_NUMBER_CHECKSUM');
    const valid = withCheck('33020319900101123');
    for (const position of [2, 3, 4, 5, 14, 15, 16]) {
      const slipped = valid.slice(0, position) + String((Number(valid[position]) + 1) % 10) + valid.slice(position + 1);
      expect(codeOf(slipped)).toBe('ID_NUMBER_CHECKSUM');
    }
  });
});

describe('birth dates and today in China', () => {
  it('counts days by the calendar', () => {
    expect(isPlausibleBirthDate('20000229', TODAY)).toBe(true);
    expect(isPlausibleBirthDate('20001231', TODAY)).toBe(true);
    expect(isPlausibleBirthDate('2000123', TODAY)).toBe(false);
  });

  it('uses the Beijing date, which runs eight hours ahead of UTC', () => {
    expect(chinaToday(Date.UTC(2026, 10, 26, 15, 59))).toBe('20261126');
    expect(chinaToday(Date.UTC(2026, 10, 26, 16, 0))).toBe('20261127');
  });
});

describe('what is stored', () => {
  it('masks all but the first six and last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('hashes with a key, so the hash depends on the key and hides the number', () => {
    const a = hashIdNumber('key-one-that-is-long-enough-for-tests', '11010519491231002X');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashIdNumber('key-one-that-is-long-enough-for-tests', '11010519491231002X')).toBe(a);
    expect(hashIdNumber('key-two-that-is-long-enough-for-tests', '11010519491231002X')).not.toBe(a);
    expect(a).not.toContain('11010519491231002');
  });
});
