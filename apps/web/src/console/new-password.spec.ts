// What a new password is told before it is sent (new-password.ts).
import { describe, expect, it } from '@jest/globals';
import { newPasswordProblem } from './new-password';

describe('newPasswordProblem', () => {
  it('passes a long password typed the same twice', () => {
    expect(newPasswordProblem('copper kettle orbit 19 sage', 'copper kettle orbit 19 sage', '13900000001')).toBeNull();
  });

  it('counts characters, not UTF-16 units, against 12 and 128', () => {
    expect(newPasswordProblem('短密码短密码短密码短密', '短密码短密码短密码短密', '')).toBe('PASSWORD_TOO_SHORT');
    expect(newPasswordProblem('短密码短密码短密码短密码', '短密码短密码短密码短密码', '')).toBeNull();
    expect(newPasswordProblem('😀'.repeat(11), '😀'.repeat(11), '')).toBe('PASSWORD_TOO_SHORT');
    expect(newPasswordProblem('a'.repeat(129), 'a'.repeat(129), '')).toBe('PASSWORD_TOO_LONG');
  });

  it("refuses the phone number's last eight digits, spaces and dashes left out", () => {
    expect(newPasswordProblem('my number 0000-0001 ok', 'my number 0000-0001 ok', '139 0000 0001')).toBe('PASSWORD_CONTAINS_PHONE');
    // No phone known yet: the server checks it.
    expect(newPasswordProblem('my number 00000001 ok', 'my number 00000001 ok', '')).toBeNull();
  });

  it('says when the two entries differ, after the rules the first breaks', () => {
    expect(newPasswordProblem('copper kettle orbit 19 sage', 'copper kettle orbit 19 sagE', '13900000001')).toBe('mismatch');
    expect(newPasswordProblem('short', 'other', '13900000001')).toBe('PASSWORD_TOO_SHORT');
  });
});
