import { AppError } from '@vouchers/common';
import { OtpErrorCode, SmsOutcomeUnknown } from '@vouchers/otp';

/**
 * What a reminder's failed send means for its notice and the run:
 * - unknown: the gateway may have sent it (SmsOutcomeUnknown); recorded so, never sent again;
 *   the run goes on.
 * - failed: the gateway refused this number (not a mobile it sends to, or its per-number limit);
 *   recorded so; the run goes on.
 * - give_back: the gateway refused for its own trouble (down, no balance, bad keys) and sent
 *   nothing: the notice is pending again and the run stops, for the job's retry to resume.
 * - stop: anything else (a bug, a sender that died): nobody knows whether it went out, so the
 *   notice is left taken (sending), as a crash would leave it, and the run stops.
 */
export type SendFailure = 'unknown' | 'failed' | 'give_back' | 'stop';

const THIS_NUMBER_ONLY: ReadonlySet<string> = new Set([OtpErrorCode.InvalidPhone, OtpErrorCode.OtpPhoneLimit]);

export function sendFailureOf(error: unknown): SendFailure {
  if (error instanceof SmsOutcomeUnknown) return 'unknown';
  if (error instanceof AppError) return THIS_NUMBER_ONLY.has(error.code) ? 'failed' : 'give_back';
  return 'stop';
}
