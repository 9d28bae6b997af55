// The phone's own check of an ID number (id-number-check.ts) names the same slips as the server.
import { describe, expect, it } from '@jest/globals';
import { idNumberProblem } from './id-number-check';

describe('idNumberProblem', () => {
  it('passes a well-formed number, a lowercase x too', () => {
    expect(idNumberProblem('11010519491231002X')).toBeNull();
    expect(idNumberProblem('11010519491231002x')).toBeNull();
  });

  it('names the check character, the length, spaces, full width and the old 15 digits', () => {
    expect(idNumberProblem('110105194912310021')).toBe('ID_NUMBER_CHECKSUM');
    expect(idNumberProblem('1101051949123100')).toBe('ID_NUMBER_FORMAT');
    expect(idNumberProblem('110105 19491231002X')).toBe('ID_NUMBER_WHITESPACE');
    expect(idNumberProblem('１10105194912310021')).toBe('ID_NUMBER_FULL_WIDTH');
    expect(idNumberProblem('110105491231002')).toBe('ID_NUMBER_LEGACY_15');
  });
});
