// Which words the till shows for an API refusal: every code the checkout, refunds, sign-in,
// staff and shop-profile routes answer has its own message key (messages.ts, refusal.*); anything else falls
// back to a general one with the code shown, so the cashier can read it out to support.
import { ApiError } from '../shared/api';

export const KNOWN_REFUSALS = [
  // checkout (apps/redemption/src/checkout/checkout-errors.ts)
  'CODE_MALFORMED',
  'CODE_SIGNATURE_INVALID',
  'CODE_EXPIRED',
  'CODE_REPLAYED',
  'CODE_SUPERSEDED',
  'ORDER_NO_CONFLICT',
  'VOUCHER_NOT_HELD',
  'VOUCHER_NOT_CLAIMED',
  'VOUCHER_EXPIRED',
  'MERCHANT_NOT_APPROVED',
  'CATEGORY_OUT_OF_SCOPE',
  'DISTRICT_OUT_OF_SCOPE',
  'BELOW_THRESHOLD',
  'REDEMPTION_NOT_SAVED',
  // refunds
  'REDEMPTION_NOT_FOUND',
  'REFUND_NO_CONFLICT',
  'REFUND_EXCEEDS_ORDER',
  'REFUND_LESS_THAN_DISCOUNT',
  // the caller, the network, the platform
  'STAFF_INACTIVE',
  'UNAUTHENTICATED',
  'DATABASE_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'VALIDATION_FAILED',
  'RATE_LIMITED',
  'NETWORK',
  'TIMEOUT',
  // sign-in and one-time codes
  'INVALID_PHONE',
  'OTP_COOLDOWN',
  'OTP_PHONE_LIMIT',
  'OTP_ADDRESS_LIMIT',
  'OTP_TOO_MANY_TRIES',
  'OTP_INVALID',
  'OTP_EXPIRED',
  'SMS_UNAVAILABLE',
  'NO_MERCHANT_ACCESS',
  // registration and staff
  'CREDIT_CODE_INVALID',
  'CREDIT_CODE_TAKEN',
  'BANK_ACCOUNT_INVALID',
  'ADMIN_NAME_INVALID',
  'STAFF_NAME_INVALID',
  'STAFF_PHONE_TAKEN',
  'STAFF_NOT_FOUND',
  'CANNOT_DISABLE_SELF',
  // the shop's own details (PATCH /v1/merchant/me)
  'BANK_ACCOUNT_INCOMPLETE',
  'NOTHING_TO_CHANGE',
  'MERCHANT_NOT_EDITABLE',
  'COORDINATES_INVALID',
] as const;

/** A refusal as the screen shows it: the message key, the code, and whether the same request may simply be sent again. */
export interface Refusal {
  key: string;
  code: string;
  /** Nothing was decided, or it is not known what was: the same scan (or refund) is sent again as it was. */
  retrySame: boolean;
}

/** Codes that decided nothing (or may have): besides them, any answer of the server's own failure (5xx) is one. */
const RETRY_SAME = ['NETWORK', 'TIMEOUT', 'REDEMPTION_NOT_SAVED', 'DATABASE_UNAVAILABLE', 'SERVICE_UNAVAILABLE', 'RATE_LIMITED'];

/**
 * What the refusal was of: a sale (whose outcome a failure leaves unknown: words about the
 * order number), a refund (about the refund number), or anything else (sign-in, the shop's
 * pages: a failure is only "try again later").
 */
export type RefusalContext = 'sale' | 'refund' | 'other';

/** Codes whose words speak of a sale being redeemed (messages.ts refusal.*): not said of anything else. */
const SAYS_REDEEMED = ['NETWORK', 'TIMEOUT', 'SERVICE_UNAVAILABLE', 'DATABASE_UNAVAILABLE', 'REDEMPTION_NOT_SAVED'];
/** 5xx codes with words of their own that fit where they are answered. */
const KNOWN_ELSEWHERE = ['SMS_UNAVAILABLE'];

/** The words for a failure that decided nothing, or may have, in each context. */
const UNSURE_KEY: Record<RefusalContext, string> = { sale: 'refusal.UNSURE', refund: 'refusal.REFUND_UNSURE', other: 'refusal.TRY_LATER' };

export function refusalOf(error: unknown, context: RefusalContext = 'other'): Refusal {
  const code = error instanceof ApiError ? error.code : 'NETWORK';
  const serverFailed = error instanceof ApiError && error.status >= 500;
  const retrySame = RETRY_SAME.includes(code) || serverFailed;
  // A sale keeps each failure's own words (they say it is not known whether it was redeemed);
  // elsewhere those words are replaced, and other codes keep theirs (SMS_UNAVAILABLE is a 503 too).
  if (context !== 'sale' && (SAYS_REDEEMED.includes(code) || (serverFailed && !KNOWN_ELSEWHERE.includes(code)))) {
    return { key: UNSURE_KEY[context], code, retrySame };
  }
  const known = (KNOWN_REFUSALS as readonly string[]).includes(code);
  return { key: known ? `refusal.${code}` : retrySame ? UNSURE_KEY[context] : 'refusal.OTHER', code, retrySame };
}
