/** Answers of officials' decisions on merchants other than success. */
export enum ReviewErrorCode {
  MerchantNotFound = 'MERCHANT_NOT_FOUND',
  InvalidTransition = 'INVALID_TRANSITION',
}
