// What the phone can tell about an ID number before sending it (GB 11643: 17 digits and a check
// character), so the commonest slips are named at once; the server checks region and birth date too.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The server's code for what is wrong with the typed number (messages realName.errors), or null when it may be right. */
export function idNumberProblem(typed: string): string | null {
  if (/[\uFF01-\uFF5E\u3000]/.test(typed)) return 'ID_NUMBER_FULL_WIDTH';
  if (/\s/.test(typed)) return 'ID_NUMBER_WHITESPACE';
  if (/^\d{15}$/.test(typed)) return 'ID_NUMBER_LEGACY_15';
  if (!/^\d{17}[\dXx]$/.test(typed)) return 'ID_NUMBER_FORMAT';
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(typed[i]), 0);
  return CHECK_CHARS[sum % 11] === typed[17].toUpperCase() ? null : 'ID_NUMBER_CHECKSUM';
}
