// Money on the screen (money.ts): integer fen in, yuan out, and back from what is typed.
import { describe, expect, it } from '@jest/globals';
import { fenOf, typedYuan, yuan } from './money';

describe('yuan', () => {
  it('groups whole yuan by thousands and keeps two decimals', () => {
    expect(yuan(0)).toBe('¥0.00');
    expect(yuan(5)).toBe('¥0.05');
    expect(yuan(99_999)).toBe('¥999.99');
    expect(yuan(100_000)).toBe('¥1,000.00');
    expect(yuan(100_000_000)).toBe('¥1,000,000.00');
    expect(yuan(100_000_000_000)).toBe('¥1,000,000,000.00');
    expect(yuan(-50)).toBe('-¥0.50');
    expect(yuan(-123_456_789)).toBe('-¥1,234,567.89');
  });
});

describe('typedYuan and fenOf', () => {
  it('write an amount as a field holds it, and read it back to the same fen', () => {
    for (const fen of [1, 50, 5_850, 123_456_789]) expect(fenOf(typedYuan(fen))).toBe(fen);
    expect(typedYuan(5_850)).toBe('58.50');
  });
});
