import { AppError } from '@vouchers/common';
import { maskPhone, normalisePhone, requirePhone } from './phone';

describe('mainland mobile numbers', () => {
  it.each([
    ['13800000001', '13800000001'],
    ['138 0000 0001', '13800000001'],
    ['138-0000-0001', '13800000001'],
    ['+86 138 0000 0001', '13800000001'],
    ['+8613800000001', '13800000001'],
    ['0086-199-1234-5678', '19912345678'],
    ['8615912345678', '15912345678'],
  ])('reads %s as %s', (raw, phone) => {
    expect(normalisePhone(raw)).toBe(phone);
  });

  it.each([
    ['', 'empty'],
    ['12800000001', 'second digit below 3'],
    ['1380000000', 'ten digits'],
    ['138000000012', 'twelve digits'],
    ['+85213800000001', 'another country code'],
    ['+86 1380000000', 'a prefix followed by ten digits'],
    ['860013800000001', 'a prefix followed by too many digits'],
    ['(138)00000001', 'brackets'],
    ['1380000000a', 'a letter'],
    ['１３８００００００01', 'full-width digits'],
    ['+', 'a bare plus'],
  ])('refuses %s (%s)', (raw) => {
    expect(normalisePhone(raw)).toBeNull();
  });

  it('answers 400 INVALID_PHONE for a number it cannot read', () => {
    expect(requirePhone('+86 13800000001')).toBe('13800000001');
    try {
      requirePhone('12345');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'INVALID_PHONE', status: 400 });
    }
  });

  it('masks the middle four digits', () => {
    expect(maskPhone('13800000001')).toBe('138****0001');
  });
});
