import { errorCatalogue } from '@vouchers/common';

/** Answers about bank account changes other than success. */
export enum BankAccountChangeErrorCode {
  /** Unknown, or (for a district official) of a merchant in another district: the same answer. */
  ChangeNotFound = 'BANK_ACCOUNT_CHANGE_NOT_FOUND',
  /** Already approved, rejected or withdrawn; details.status says which. */
  ChangeNotPending = 'BANK_ACCOUNT_CHANGE_NOT_PENDING',
  /** The merchant has no account yet and the request does not name one whole (holder, bank and number). */
  AccountIncomplete = 'BANK_ACCOUNT_INCOMPLETE',
}

export const BANK_ACCOUNT_CHANGE_ERRORS = errorCatalogue<BankAccountChangeErrorCode>('bank account changes', {
  [BankAccountChangeErrorCode.ChangeNotFound]: { status: 404, meaning: "No such bank account change (or of a merchant outside the official's district)" },
  [BankAccountChangeErrorCode.ChangeNotPending]: { status: 409, meaning: 'The change is already approved, rejected or withdrawn (details.status)' },
  [BankAccountChangeErrorCode.AccountIncomplete]: { status: 400, meaning: 'The merchant has no account yet and the request does not name one whole (holder, bank and number)' },
});
