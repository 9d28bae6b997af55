// 统一社会信用代码 (GB 32100-2015) as the admin types it: the check of
// libs/common/src/credit-code.ts itself (MOD 31 over the first 17 characters), so the form can say
// what is wrong before the code is sent. The API checks it again (CREDIT_CODE_INVALID).
import { CREDIT_CODE_ALPHABET as ALPHABET, creditCodeCheckChar } from '@libs/common/credit-code';

export { creditCodeCheckChar };

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
