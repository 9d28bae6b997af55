/**
 * What a merchant's own fields may hold, checked alike by the merchant app (merchant-rules.ts,
 * the registration and profile DTOs) and by the till's forms, which import this file as it is
 * (apps/web): pure, no Node modules. The till says what is wrong as it is typed; the API checks
 * again and refuses with its own code.
 */

/** How many digits a bank account number has. */
export const BANK_ACCOUNT_DIGITS = { min: 8, max: 30 } as const;

const ACCOUNT_NUMBER = new RegExp(`^[0-9]{${BANK_ACCOUNT_DIGITS.min},${BANK_ACCOUNT_DIGITS.max}}$`);

/**
 * A bank account number as typed: the spaces printed on cards dropped, nothing else forgiven
 * (no dashes, no full-width digits). The digits, or null when they are not 8-30 ASCII digits.
 */
export function bankAccountDigits(typed: string): string | null {
  const digits = typed.replace(/[ ]+/g, '');
  return ACCOUNT_NUMBER.test(digits) ? digits : null;
}

/** A shop's telephone, mobile or landline: 5-20 characters of digits, spaces or dashes, a + before them allowed. */
export const CONTACT_PHONE_SHAPE = /^\+?[0-9][0-9 -]{4,18}$/;
