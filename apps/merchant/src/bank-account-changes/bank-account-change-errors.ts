/** Answers about bank account changes other than success. */
export enum BankAccountChangeErrorCode {
  /** Unknown, or (for a district official) of a merchant in another district: the same answer. */
  ChangeNotFound = 'BANK_ACCOUNT_CHANGE_NOT_FOUND',
  /** Already approved, rejected or withdrawn; details.status says which. */
  ChangeNotPending = 'BANK_ACCOUNT_CHANGE_NOT_PENDING',
  /** The merchant has no account yet and the request does not name one whole (holder, bank and number). */
  AccountIncomplete = 'BANK_ACCOUNT_INCOMPLETE',
  /** The official deciding is the one who asked. */
  FourEyesRequired = 'FOUR_EYES_REQUIRED',
}
