// The checks a new password can get before it is sent: the server's rules that need no word
// list (libs/officials password-rules.ts: 12-128 characters, not the phone number) and that
// the two entries agree. Whether it is common or easy to guess only the server says.
export const PASSWORD_LENGTH = { min: 12, max: 128 } as const;

export type NewPasswordProblem = 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_CONTAINS_PHONE' | 'mismatch';

/** The first thing wrong with the new password as typed twice, or null; `phone` as the official typed it (or knows it). */
export function newPasswordProblem(password: string, repeated: string, phone: string): NewPasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_LENGTH.min) return 'PASSWORD_TOO_SHORT';
  if (length > PASSWORD_LENGTH.max) return 'PASSWORD_TOO_LONG';
  const digits = phone.replace(/\D/g, '');
  if (digits.length >= 8 && password.replace(/[\s-]/g, '').includes(digits.slice(-8))) return 'PASSWORD_CONTAINS_PHONE';
  return password === repeated ? null : 'mismatch';
}
