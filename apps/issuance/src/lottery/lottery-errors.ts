import { errorCatalogue } from '@vouchers/common';

/** Answers of the lottery's routes other than their views (the round's own lookups answer ROUND_NOT_FOUND of the grab's catalogue). */
export enum LotteryErrorCode {
  NotALottery = 'NOT_A_LOTTERY',
  SignupNotOpen = 'SIGNUP_NOT_OPEN',
  SignupClosed = 'SIGNUP_CLOSED',
  SignupStillOpen = 'SIGNUP_STILL_OPEN',
  NotEntered = 'LOTTERY_NOT_ENTERED',
  PublicValueMismatch = 'PUBLIC_VALUE_MISMATCH',
  PublicValueSettled = 'PUBLIC_VALUE_SETTLED',
  PublicValueMissing = 'PUBLIC_VALUE_MISSING',
  NotDrawn = 'LOTTERY_NOT_DRAWN',
  DrawNotPublished = 'LOTTERY_NOT_PUBLISHED',
  ValidityEnded = 'VOUCHER_VALIDITY_ENDED',
}

export const LOTTERY_ERRORS = errorCatalogue<LotteryErrorCode>('lottery', {
  [LotteryErrorCode.NotALottery]: { status: 409, meaning: 'The round is a grab, not a lottery' },
  [LotteryErrorCode.SignupNotOpen]: { status: 409, meaning: "The lottery's sign-up has not opened yet (details.signupOpensAt)" },
  [LotteryErrorCode.SignupClosed]: { status: 409, meaning: "The lottery's sign-up has closed" },
  [LotteryErrorCode.SignupStillOpen]: { status: 409, meaning: 'The entrant list is frozen only once sign-up has closed (details.signupClosesAt)' },
  [LotteryErrorCode.NotEntered]: { status: 404, meaning: 'You did not sign up for this lottery' },
  [LotteryErrorCode.PublicValueMismatch]: {
    status: 409,
    meaning: 'The value differs from the one proposed by another official; the proposer may propose again',
  },
  [LotteryErrorCode.PublicValueSettled]: { status: 409, meaning: 'The public value was already confirmed by two officials' },
  [LotteryErrorCode.PublicValueMissing]: { status: 409, meaning: 'Two officials have not yet agreed on the public value' },
  [LotteryErrorCode.NotDrawn]: { status: 409, meaning: 'The lottery has not been drawn and published yet' },
  [LotteryErrorCode.ValidityEnded]: { status: 409, meaning: "The campaign's vouchers are valid until a time already past: a draw now would issue expired vouchers" },
  [LotteryErrorCode.DrawNotPublished]: {
    status: 503,
    meaning: "The winners' vouchers are saved but could not be loaded into the admission state yet; draw again to finish (Retry-After)",
  },
});
