import { maskRealName, normaliseRealName } from './real-name';

describe('real names', () => {
  it.each([
    ['张三', '张三'],
    ['  欧阳娜娜 ', '欧阳娜娜'],
    ['阿卜杜·热合曼', '阿卜杜·热合曼'],
    ['Li Na', 'Li Na'],
    ['𠮷野', '𠮷野'],
    ['名'.repeat(64), '名'.repeat(64)],
  ])('accepts %j as %j', (raw, name) => {
    expect(normaliseRealName(raw)).toBe(name);
  });

  it.each([
    ['', 'empty'],
    ['张', 'one character'],
    ['  张 ', 'one character once trimmed'],
    ['名'.repeat(65), '65 characters'],
    ['张3', 'a digit'],
    ['张３', 'a full-width digit'],
    ['张\u0000三', 'a control character'],
    ['张\u200b三', 'an invisible character'],
  ])('refuses %j (%s)', (raw) => {
    expect(normaliseRealName(raw)).toBeNull();
  });

  it('masks all but the first character', () => {
    expect(maskRealName('张三')).toBe('张*');
    expect(maskRealName('欧阳娜娜')).toBe('欧***');
    expect(maskRealName('𠮷野')).toBe('𠮷*');
  });
});
