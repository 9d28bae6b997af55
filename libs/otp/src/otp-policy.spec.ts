import { OTP_AUDIENCES, otpKeysFor } from './otp-policy';

describe('one-time code keys', () => {
  const builders = ['code', 'cooldown', 'sendsPerPhone', 'sendsPerAddress', 'checksPerAddress'] as const;

  it('keep the residents\' names of before, with the audience added to the keys of a number', () => {
    const keys = otpKeysFor('resident');
    expect(keys.code('13800000001')).toBe('otp:resident:{13800000001}');
    expect(keys.cooldown('13800000001')).toBe('otp:resident:cooldown:{13800000001}');
    expect(keys.sendsPerPhone('13800000001')).toBe('rl:otp:resident:phone:{13800000001}');
    expect(keys.sendsPerAddress('10.0.0.1')).toBe('rl:otp:ip:{10.0.0.1}');
    expect(keys.checksPerAddress('10.0.0.1')).toBe('rl:otp-verify:ip:{10.0.0.1}');
  });

  it("count an address's sends and checks once across audiences", () => {
    for (const builder of ['sendsPerAddress', 'checksPerAddress'] as const) {
      expect(new Set(OTP_AUDIENCES.map((audience) => otpKeysFor(audience)[builder]('10.0.0.1'))).size).toBe(1);
    }
  });

  it('tag every key with its subject, so each lives in one Cluster slot', () => {
    for (const audience of OTP_AUDIENCES) {
      for (const builder of builders) {
        expect(otpKeysFor(audience)[builder]('13800000001')).toMatch(/\{13800000001\}$/);
      }
    }
  });

  it('never give two audiences the same keys of a number, nor two kinds of key the same name', () => {
    const ofNumber = ['code', 'cooldown', 'sendsPerPhone'] as const;
    const all = OTP_AUDIENCES.flatMap((audience) => ofNumber.map((builder) => otpKeysFor(audience)[builder]('13800000001')));
    const keys = otpKeysFor('resident');
    all.push(keys.sendsPerAddress('13800000001'), keys.checksPerAddress('13800000001'));
    expect(new Set(all).size).toBe(all.length);
  });
});
