// 统一社会信用代码 (GB 32100-2015) as the admin types it: the same pure check as
// libs/common/src/credit-code.ts (MOD 31 over the first 17 characters), so the form can say
// what is wrong before the code is sent. The API checks it again (CREDIT_CODE_INVALID).
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]);
    if (value < 0) return null;
    sum += value * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Spaces dropped and letters upper-cased, as the API reads it. */
export const normaliseCreditCode = (typed: string): string => typed.replace(/\s+/g, '').toUpperCase();

/** What the form says of a code being typed: nothing yet, a problem, or that it checks out. */
export type CreditCodeState = 'empty' | 'typing' | 'bad-char' | 'too-long' | 'bad-check' | 'ok';

export function creditCodeState(typed: string): CreditCodeState {
  const code = normaliseCreditCode(typed);
  if (code === '') return 'empty';
  if (![...code].every((char) => ALPHABET.includes(char))) return 'bad-char';
  if (code.length > 18) return 'too-long';
  if (code.length < 18) return 'typing';
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? 'ok' : 'bad-check';
}
