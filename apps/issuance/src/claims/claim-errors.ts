import { errorCatalogue } from '@vouchers/common';

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
  /** The round is a lottery: residents sign up (POST /v1/rounds/:roundId/entries) and a draw gives its vouchers. */
  RoundIsLottery = 'ROUND_IS_LOTTERY',
}

export const CLAIM_ERRORS = errorCatalogue<ClaimErrorCode>('claims', {
  [ClaimErrorCode.RealNameRequired]: { status: 403, meaning: 'Verify your real name before grabbing vouchers' },
  [ClaimErrorCode.InvalidRoundId]: { status: 400, meaning: 'The round id is not a UUID' },
  [ClaimErrorCode.RoundNotFound]: { status: 404, meaning: 'No such round' },
  [ClaimErrorCode.RoundNotOpen]: { status: 409, meaning: 'The round has not opened yet' },
  [ClaimErrorCode.RoundClosed]: { status: 409, meaning: 'The round has closed' },
  [ClaimErrorCode.CampaignNotActive]: { status: 409, meaning: 'The campaign is not active (details.status)' },
  [ClaimErrorCode.SoldOut]: { status: 409, meaning: 'The round is sold out' },
  [ClaimErrorCode.AlreadyClaimed]: { status: 409, meaning: 'You already hold as many vouchers of this campaign as allowed' },
  [ClaimErrorCode.BudgetExhausted]: { status: 409, meaning: "The campaign's budget is used up" },
  [ClaimErrorCode.IdempotencyKeyReused]: { status: 422, meaning: 'This Idempotency-Key was used for another round' },
  [ClaimErrorCode.InvalidIdempotencyKey]: { status: 400, meaning: 'Idempotency-Key must be 8-64 letters, digits, - or _' },
  [ClaimErrorCode.AdmissionRebuilding]: { status: 503, meaning: 'Vouchers are being recounted; try again in a moment (Retry-After)' },
  [ClaimErrorCode.AdmissionUnavailable]: { status: 503, meaning: 'Vouchers cannot be handed out this moment; try again (Retry-After)' },
  [ClaimErrorCode.ClaimInProgress]: { status: 503, meaning: 'An earlier grab of this round is still being saved; try again (Retry-After)' },
  [ClaimErrorCode.ClaimNotSaved]: { status: 503, meaning: 'The voucher could not be saved; nothing was taken, try again (Retry-After)' },
  [ClaimErrorCode.RoundIsLottery]: { status: 409, meaning: 'The round is a lottery: sign up for its draw instead of grabbing' },
});
