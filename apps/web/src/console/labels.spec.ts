// The console's names for codes (labels.ts): lists of them read as the language writes lists.
import { describe, expect, it } from '@jest/globals';
import { categoryName, listOf } from './labels';

describe('a list of names', () => {
  it('is joined with 、 in Chinese', () => {
    expect(listOf(['海曙区', '江北区', '鄞州区'], 'zh-CN')).toBe('海曙区、江北区、鄞州区');
  });

  it('is joined with commas in English, with no "and" before the last', () => {
    expect(listOf(['Dining', 'Retail', 'Cars'], 'en')).toBe('Dining, Retail, Cars');
    expect(listOf(['海曙区', '江北区'], 'en')).toBe('海曙区, 江北区');
  });

  it('is the one name alone, or nothing', () => {
    expect(listOf([categoryName('dining', 'en')], 'en')).toBe('Dining');
    expect(listOf([], 'zh-CN')).toBe('');
  });
});
