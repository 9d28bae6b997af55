import { assertFen, fenFromColumn, fenToYuan, splitFunding } from './money';

describe('money in fen', () => {
  it('splits funding so the parts always sum to the whole', () => {
    for (const total of [0, 1, 2, 3, 999, 1000, 3001, 123_456_789, 100_000_000_000]) {
      for (const share of [0, 1, 3333, 5000, 6667, 9999, 10_000]) {
        const { cityFen, districtFen } = splitFunding(total, share);
        expect(cityFen + districtFen).toBe(total);
        expect(Number.isInteger(cityFen) && Number.isInteger(districtFen)).toBe(true);
        expect(cityFen).toBeGreaterThanOrEqual(0);
        expect(districtFen).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('rounds the city part down and gives the district the odd fen', () => {
    expect(splitFunding(3001, 5000)).toEqual({ cityFen: 1500, districtFen: 1501 });
    expect(splitFunding(1000, 3333)).toEqual({ cityFen: 333, districtFen: 667 });
  });

  it('refuses fractions, negatives and shares outside 0..10000', () => {
    expect(() => splitFunding(10.5, 5000)).toThrow(RangeError);
    expect(() => splitFunding(-1, 5000)).toThrow(RangeError);
    expect(() => splitFunding(100, 10_001)).toThrow(RangeError);
    expect(() => splitFunding(100, 50.5)).toThrow(RangeError);
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
