import { normalisePublicValue } from './public-value';

describe('normalisePublicValue', () => {
  it('turns full-width digits, letters and punctuation into ASCII', () => {
    expect(normalisePublicValue('ＳＳＥ　３４１２．５７')).toBe('SSE 3412.57');
    expect(normalisePublicValue('上证指数收盘３４１２．５７')).toBe('上证指数收盘3412.57');
  });

  it('trims, and makes each run of white space (tabs, line breaks, no-break and ideographic spaces) one space', () => {
    expect(normalisePublicValue('  2026-12-10 \t 上证指数\n收盘\u00a0\u3000 3412.57  ')).toBe('2026-12-10 上证指数 收盘 3412.57');
  });

  it('leaves a value already normal as it is, and is idempotent', () => {
    const values = ['SSE close 3412.57', '2026-12-10 上证指数收盘 3412.57', 'ＳＳＥ　３４１２．５７ '];
    expect(normalisePublicValue(values[0])).toBe(values[0]);
    expect(normalisePublicValue(values[1])).toBe(values[1]);
    const once = normalisePublicValue(values[2]);
    expect(normalisePublicValue(once)).toBe(once);
  });

  it('keeps the difference between really different values', () => {
    expect(normalisePublicValue('3412.57')).not.toBe(normalisePublicValue('3412.58'));
    expect(normalisePublicValue('3412.57')).not.toBe(normalisePublicValue('3412,57'));
    expect(normalisePublicValue('SSE 3412.57')).not.toBe(normalisePublicValue('SSE3412.57'));
  });

  it('composes what NFKC composes, and may lengthen (the caller checks the length afterwards)', () => {
    expect(normalisePublicValue('e\u0301')).toBe('\u00e9');
    expect(normalisePublicValue('㍻')).toBe('平成');
    expect(normalisePublicValue('   ')).toBe('');
  });
});
