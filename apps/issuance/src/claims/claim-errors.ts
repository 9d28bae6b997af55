/** Answers of the grab other than a voucher; each has its own code for the app to show. */
export enum ClaimErrorCode {
  RealNameRequired = 'REAL_NAME_REQUIRED',
  InvalidRoundId = 'INVALID_ROUND_ID',
  RoundNotFound = 'ROUND_NOT_FOUND',
  RoundNotOpen = 'ROUND_NOT_OPEN',
  RoundClosed = 'ROUND_CLOSED',
  CampaignNotActive = 'CAMPAIGN_NOT_ACTIVE',
  SoldOut = 'SOLD_OUT',
  AlreadyClaimed = 'ALREADY_CLAIMED',
  BudgetExhausted = 'BUDGET_EXHAUSTED',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  InvalidIdempotencyKey = 'INVALID_IDEMPOTENCY_KEY',
  AdmissionRebuilding = 'ADMISSION_REBUILDING',
  AdmissionUnavailable = 'ADMISSION_UNAVAILABLE',
  ClaimInProgress = 'CLAIM_IN_PROGRESS',
  ClaimNotSaved = 'CLAIM_NOT_SAVED',
}
