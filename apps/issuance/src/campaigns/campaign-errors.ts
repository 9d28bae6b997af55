import { errorCatalogue } from '@vouchers/common';

export enum CampaignErrorCode {
  CampaignOverBudget = 'CAMPAIGN_OVER_BUDGET',
  ProgramBudgetExceeded = 'PROGRAM_BUDGET_EXCEEDED',
  ThresholdBelowFaceValue = 'THRESHOLD_BELOW_FACE_VALUE',
  RoundClosesBeforeOpening = 'ROUND_CLOSES_BEFORE_OPENING',
  ValidityRequired = 'VALIDITY_REQUIRED',
  DateOutOfRange = 'DATE_OUT_OF_RANGE',
  ValidUntilBeforeRound = 'VALID_UNTIL_BEFORE_ROUND',
  /** A district official named the city's share: it is the city's to set. */
  CityShareSetByCity = 'CITY_SHARE_SET_BY_CITY',
  /** A city-wide official left the city's share out. */
  CityShareRequired = 'CITY_SHARE_REQUIRED',
  DuplicateValues = 'DUPLICATE_VALUES',
  /** A lottery round without both ends of its sign-up window, or a grab round with one. */
  SignupWindowInvalid = 'SIGNUP_WINDOW_INVALID',
  /** A lottery round without the source of its public value, or a grab round with one. */
  PublicValueSourceInvalid = 'PUBLIC_VALUE_SOURCE_INVALID',
  /** returnPolicy and the older returnsToPool were both given and say different things. */
  ReturnPolicyConflict = 'RETURN_POLICY_CONFLICT',
  /** Rounds of one campaign named different stockBuckets: a person's record lives in one bucket for the whole campaign. */
  StockBucketsDiffer = 'STOCK_BUCKETS_DIFFER',
}

export const CAMPAIGN_ERRORS = errorCatalogue<CampaignErrorCode>('campaigns', {
  [CampaignErrorCode.CampaignOverBudget]: { status: 400, meaning: 'The rounds give out more face value than the budget' },
  [CampaignErrorCode.ProgramBudgetExceeded]: { status: 400, meaning: 'The campaign would take the program past its annual budget' },
  [CampaignErrorCode.ThresholdBelowFaceValue]: { status: 400, meaning: 'A threshold is below its face value' },
  [CampaignErrorCode.RoundClosesBeforeOpening]: { status: 400, meaning: 'A round closes before it opens' },
  [CampaignErrorCode.ValidityRequired]: { status: 400, meaning: 'Give validityDays, validUntil, or both' },
  [CampaignErrorCode.DateOutOfRange]: { status: 400, meaning: 'A date is outside 2000-2099' },
  [CampaignErrorCode.ValidUntilBeforeRound]: { status: 400, meaning: "A round opens (a lottery's sign-up closes) after the vouchers' validity ends" },
  [CampaignErrorCode.CityShareSetByCity]: { status: 403, meaning: "The city's share of a district campaign is set by the city; leave cityShareBp out" },
  [CampaignErrorCode.CityShareRequired]: { status: 400, meaning: "Give cityShareBp, the city's share of each subsidy in basis points" },
  [CampaignErrorCode.DuplicateValues]: { status: 400, meaning: 'categories and districts may not repeat' },
  [CampaignErrorCode.SignupWindowInvalid]: {
    status: 400,
    meaning: 'A lottery round needs signupOpensAt before signupClosesAt; a grab round takes neither',
  },
  [CampaignErrorCode.PublicValueSourceInvalid]: {
    status: 400,
    meaning:
      "A lottery round names its public value's source (publicValueSource: publisher, figure, date; not beginning with =, +, - or @), a grab round none; details.field is the round's field",
  },
  [CampaignErrorCode.ReturnPolicyConflict]: {
    status: 400,
    meaning: 'returnPolicy and returnsToPool disagree (returnsToPool true is next_round, false is none); give one',
  },
  [CampaignErrorCode.StockBucketsDiffer]: {
    status: 400,
    meaning: "The rounds of a campaign name different stockBuckets; a resident's record lives in one bucket for the whole campaign, so all take the same",
  },
});
