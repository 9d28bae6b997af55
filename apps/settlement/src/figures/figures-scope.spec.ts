import { Role } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { detailedDistricts, figuresReader, targetSetter } from './figures-scope';

const ALL = ['haishu', 'yinzhou', 'cixi'];

describe('who reads which figures', () => {
  it('a city-wide official reads every district in detail', () => {
    expect(detailedDistricts(figuresReader({ sub: 's', role: Role.CommerceOfficial }), ALL)).toEqual(ALL);
  });

  it('a district’s official reads only their own district in detail', () => {
    const reader = figuresReader({ sub: 's', role: Role.FinanceOfficial, district: 'yinzhou' });
    expect(reader).toEqual({ cityWide: false, district: 'yinzhou' });
    expect(detailedDistricts(reader, ALL)).toEqual(['yinzhou']);
  });

  it('an auditor reads everything, whatever district the token names', () => {
    expect(figuresReader({ sub: 's', role: Role.Auditor, district: 'cixi' })).toEqual({ cityWide: true });
  });

  it('residents and merchant staff are no readers at all', () => {
    expect(() => figuresReader({ sub: 's', role: Role.Resident })).toThrow();
    expect(() => figuresReader({ sub: 's', role: Role.MerchantStaff, merchantId: 'm' })).toThrow();
  });

  it('targets are set city-wide only', () => {
    expect(targetSetter({ sub: 's', role: Role.CommerceOfficial })).toEqual({ sub: 's', role: Role.CommerceOfficial });
    expect(() => targetSetter({ sub: 's', role: Role.CommerceOfficial, district: 'haishu' })).toThrow(AppError);
  });
});
