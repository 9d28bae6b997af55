import { Matches } from 'class-validator';

/** At least one character that shows (not a space, not an invisible format character), and no control character. */
const DISPLAY_NAME = /^(?=[\s\S]*[^\s\p{Cf}])[^\p{Cc}]*$/u;

/**
 * A name people read in a list (a campaign's, a voucher type's): blank ones, invisible ones
 * (a zero-width space) and ones holding a control character (a line break, an escape) were
 * stored as sent and shown as nothing or broke a line of the console. Length rules go beside it.
 */
export function IsDisplayName(): PropertyDecorator {
  return Matches(DISPLAY_NAME, { message: '$property must hold a visible character and no control character' });
}
