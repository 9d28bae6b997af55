import { PasswordErrorCode, passwordProblem } from './password-rules';

const PHONE = '13900000001';

describe('passwordProblem', () => {
  it('accepts a long passphrase of unrelated words', () => {
    expect(passwordProblem('柳汀街 lantern 47 ferry-gull', PHONE)).toBeNull();
    expect(passwordProblem('copper kettle orbit 19 sage', PHONE)).toBeNull();
  });

  it('refuses each broken rule with its own code', () => {
    expect(passwordProblem('Sh0rt!pass', PHONE)).toBe(PasswordErrorCode.TooShort);
    expect(passwordProblem('x'.repeat(129), PHONE)).toBe(PasswordErrorCode.TooLong);
    // On zxcvbn's list (English-based) and on the built-in local list.
    expect(passwordProblem('qwertyuiop123', PHONE)).toBe(PasswordErrorCode.TooCommon);
    expect(passwordProblem('WoAiNi1314520', PHONE)).toBe(PasswordErrorCode.TooCommon);
    expect(passwordProblem('orbit-1390-0000-001-kettle', PHONE)).toBe(PasswordErrorCode.ContainsPhone);
    expect(passwordProblem('aaaaaaaaaaaaaaaa', PHONE)).toBe(PasswordErrorCode.TooWeak);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('宁波港口灯塔夜航船只远', PHONE)).toBe(PasswordErrorCode.TooShort);
  });
});
