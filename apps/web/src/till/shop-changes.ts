// What the shop page's forms send to PATCH /v1/merchant/me, checked before it is sent as the
// API checks it (libs/common merchant-fields, one source for both), so the admin is told what
// is wrong as they type; the API checks again and its refusals are worded (refusal-words.ts).
import { BANK_ACCOUNT_DIGITS, bankAccountDigits, CONTACT_PHONE_SHAPE } from '@libs/common/merchant-fields';

export interface BankAccountForm {
  bankAccountName: string;
  bankName: string;
  bankAccountNumber: string;
}

/** The new account as PATCH /v1/merchant/me takes it: whole, trimmed, the number as digits. */
export type BankAccountBody = BankAccountForm;

/** What the form says of an account number being typed. */
export type AccountNumberState = 'empty' | 'typing' | 'bad-char' | 'too-long' | 'ok';

export function accountNumberState(typed: string): AccountNumberState {
  if (bankAccountDigits(typed) !== null) return 'ok';
  const digits = typed.replace(/[ ]+/g, '');
  if (digits === '') return 'empty';
  if (!/^[0-9]+$/.test(digits)) return 'bad-char';
  return digits.length > BANK_ACCOUNT_DIGITS.max ? 'too-long' : 'typing';
}

/**
 * A masked account number as a sentence quotes it: its spaces made non-breaking, so a phone's
 * narrow line never splits "6223 **** **** 0013" across two lines; a dash when there is none.
 */
export const keptTogether = (masked: string | null): string => (masked ?? '—').replace(/ /g, '\u00a0');

/** How many digits have been typed (spaces not counted), for the form's note. */
export const typedDigits = (typed: string): number => typed.replace(/[ ]+/g, '').length;

/**
 * The request for a new account, or the first field that is missing or wrong. The till asks for
 * the whole account (holder, bank and number), so what an official reviews is what the admin saw.
 */
export function bankAccountRequest(form: BankAccountForm): { body: BankAccountBody } | { problem: keyof BankAccountForm } {
  const bankAccountName = form.bankAccountName.trim();
  const bankName = form.bankName.trim();
  const digits = bankAccountDigits(form.bankAccountNumber);
  if (bankAccountName === '') return { problem: 'bankAccountName' };
  if (bankName === '') return { problem: 'bankName' };
  if (digits === null) return { problem: 'bankAccountNumber' };
  return { body: { bankAccountName, bankName, bankAccountNumber: digits } };
}

/** What became of a request for a new account, from the shop as it was and the answer. */
export type BankAccountOutcome = 'held' | 'changed' | 'same';

/**
 * held: an approved shop's new account awaits an official (202, pendingBankAccountChange);
 * changed: a shop still under review changes it at once; same: the account asked for is the one
 * payouts already go to, so nothing is held (and a request still pending was withdrawn).
 */
export function bankAccountOutcome(statusBefore: string, answer: { pendingBankAccountChange: unknown }): BankAccountOutcome {
  if (answer.pendingBankAccountChange) return 'held';
  return statusBefore === 'pending' ? 'changed' : 'same';
}

export interface ContactForm {
  address: string;
  contactPhone: string;
}

export type ContactProblem = 'address' | 'contactPhone' | 'nothing';

/**
 * The changed fields of the shop's address and telephone, trimmed, or what is wrong. The API
 * cannot clear a telephone, so an emptied one is a problem when the shop had one, and nothing
 * to send when it had none.
 */
export function contactChanges(current: { address: string; contactPhone: string | null }, form: ContactForm): { body: Partial<ContactForm> } | { problem: ContactProblem } {
  const address = form.address.trim();
  const contactPhone = form.contactPhone.trim();
  if (address === '') return { problem: 'address' };
  if (contactPhone !== '' ? !CONTACT_PHONE_SHAPE.test(contactPhone) : current.contactPhone !== null) return { problem: 'contactPhone' };
  const body: Partial<ContactForm> = {};
  if (address !== current.address) body.address = address;
  if (contactPhone !== '' && contactPhone !== current.contactPhone) body.contactPhone = contactPhone;
  return Object.keys(body).length > 0 ? { body } : { problem: 'nothing' };
}
