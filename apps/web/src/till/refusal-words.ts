// Which words the till shows for an API refusal: every code the checkout, refunds, sign-in and
// staff routes answer has its own message key (messages.ts, refusal.*); anything else falls
// back to a general one with the code shown, so the cashier can read it out to support.
import { ApiError } from '@web/shared/api';

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
] as const;

/** A refusal as the screen shows it: the message key and the code. */
export interface Refusal {
  key: string;
  code: string;
}

export function refusalOf(error: unknown): Refusal {
  const code = error instanceof ApiError ? error.code : 'NETWORK';
  return { key: (KNOWN_REFUSALS as readonly string[]).includes(code) ? `refusal.${code}` : 'refusal.OTHER', code };
}

/** The refusals after which the same scan may simply be sent again (nothing was or may have been decided). */
export const mayRetrySameScan = (code: string): boolean =>
  ['NETWORK', 'TIMEOUT', 'REDEMPTION_NOT_SAVED', 'DATABASE_UNAVAILABLE', 'RATE_LIMITED'].includes(code);
