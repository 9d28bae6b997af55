import { addressKey } from './sign-in-attempts';

describe('addressKey', () => {
  it('counts an IPv4 address (mapped into IPv6 too) as itself', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    for (const address of ['2001:db8:7:1::9', '2001:0db8:0007:0001:ffff::1', '2001:db8:7:1:1:2:3:4', '2001:db8:7:1::1%eth0']) {
      expect(addressKey(address)).toBe('2001:db8:7:1::/64');
    }
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('2001:db8:7:2::1')).not.toBe(addressKey('2001:db8:7:1::1'));
  });
});
