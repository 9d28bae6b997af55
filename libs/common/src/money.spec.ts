import { assertFen, fenFromColumn, fenToYuan } from './money';

describe('money in fen', () => {
  it('refuses fractions and negatives', () => {
    expect(() => assertFen(10.5)).toThrow(RangeError);
    expect(() => assertFen(-1)).toThrow(RangeError);
    expect(() => assertFen(0.1 + 0.2)).toThrow(RangeError);
  });

  it('formats yuan exactly', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(12_345)).toBe('123.45');
    expect(fenToYuan(-1050)).toBe('-10.50');
    expect(fenToYuan(100_000_000_000)).toBe('1000000000.00');
  });

  it('reads bigint columns and refuses values past 2^53', () => {
    expect(fenFromColumn('100000000000')).toBe(100_000_000_000);
    expect(fenFromColumn(null)).toBeNull();
    expect(() => fenFromColumn('9007199254740993')).toThrow(RangeError);
  });
});
