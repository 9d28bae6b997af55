export enum CampaignErrorCode {
  CampaignNotFound = 'CAMPAIGN_NOT_FOUND',
  CampaignOverBudget = 'CAMPAIGN_OVER_BUDGET',
  ProgramBudgetExceeded = 'PROGRAM_BUDGET_EXCEEDED',
  ThresholdBelowFaceValue = 'THRESHOLD_BELOW_FACE_VALUE',
  RoundClosesBeforeOpening = 'ROUND_CLOSES_BEFORE_OPENING',
  ValidityRequired = 'VALIDITY_REQUIRED',
  DateOutOfRange = 'DATE_OUT_OF_RANGE',
  ValidUntilBeforeRound = 'VALID_UNTIL_BEFORE_ROUND',
  DistrictOutOfScope = 'DISTRICT_OUT_OF_SCOPE',
  /** A district official named the city's share: it is the city's to set. */
  CityShareSetByCity = 'CITY_SHARE_SET_BY_CITY',
  /** A city-wide official left the city's share out. */
  CityShareRequired = 'CITY_SHARE_REQUIRED',
  InvalidTransition = 'INVALID_TRANSITION',
  DuplicateValues = 'DUPLICATE_VALUES',
}
