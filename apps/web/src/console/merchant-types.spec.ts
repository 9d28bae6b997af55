// Whose account it is (merchant-types.ts): a holder other than the licence's name is marked.
import { describe, expect, it } from '@jest/globals';
import { holderDiffers } from './merchant-types';

describe('holderDiffers', () => {
  it('marks a holder other than the licence name', () => {
    expect(holderDiffers('李四', '宁波复核餐饮有限公司')).toBe(true);
    expect(holderDiffers('宁波复核餐饮有限公司', '宁波复核餐饮有限公司')).toBe(false);
  });

  it('does not mark the same name written with other spaces or full-width brackets', () => {
    expect(holderDiffers('宁波复核餐饮(海曙)有限公司', '宁波复核餐饮（海曙）有限公司')).toBe(false);
    expect(holderDiffers(' 宁波复核 餐饮有限公司', '宁波复核餐饮有限公司')).toBe(false);
  });

  it('judges no account without a holder', () => {
    expect(holderDiffers(null, '宁波复核餐饮有限公司')).toBe(false);
    expect(holderDiffers('  ', '宁波复核餐饮有限公司')).toBe(false);
  });
});
