import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { ReturnPolicy } from '@vouchers/database';
import { CampaignErrorCode } from './campaign-errors';
import { CreateCampaignDto, RoundDto } from './create-campaign.dto';

/** Face value of every voucher the campaign's rounds can give out, in fen (BigInt: quantities × values can pass 2^53). */
export function committedFaceValue(dto: Pick<CreateCampaignDto, 'voucherTypes'>): bigint {
  let total = 0n;
  for (const type of dto.voucherTypes) {
    for (const round of type.rounds) total += BigInt(round.quantity) * BigInt(type.faceValueFen);
  }
  return total;
}

/**
 * Who sets the city's share of a campaign's subsidy (cityShareBp): the city, since it is the
 * city's money. A district official names no share at all, whatever its value (their campaign
 * takes the city setting, see cityShareOf); a city-wide official must name it, as before.
 */
export function cityShareViolation(dto: Pick<CreateCampaignDto, 'cityShareBp'>, official: AuthUser): AppError | null {
  const given = dto.cityShareBp !== undefined && dto.cityShareBp !== null;
  if (official.district && given) {
    return new AppError(
      CampaignErrorCode.CityShareSetByCity,
      "The city's share of a district campaign is set by the city (DISTRICT_CAMPAIGN_CITY_SHARE_BP); leave cityShareBp out",
    );
  }
  if (!official.district && !given) {
    return new AppError(CampaignErrorCode.CityShareRequired, "Give cityShareBp, the city's share of each subsidy in basis points");
  }
  return null;
}

/** The city's share a new campaign gets, once cityShareViolation has passed: the city setting for a district official's. */
export function cityShareOf(dto: Pick<CreateCampaignDto, 'cityShareBp'>, official: AuthUser, districtCampaignCityShareBp: number): number {
  return official.district ? districtCampaignCityShareBp : (dto.cityShareBp as number);
}

/**
 * The campaign's return policy (回流): returnPolicy, or the older returnsToPool (true: next_round,
 * false: none), or none. Both given must agree.
 */
export function returnPolicyOf(dto: Pick<CreateCampaignDto, 'returnPolicy' | 'returnsToPool'>): ReturnPolicy | AppError {
  const fromFlag: ReturnPolicy | undefined = dto.returnsToPool === undefined ? undefined : dto.returnsToPool ? 'next_round' : 'none';
  if (dto.returnPolicy !== undefined && fromFlag !== undefined && dto.returnPolicy !== fromFlag) {
    return new AppError(CampaignErrorCode.ReturnPolicyConflict, `returnPolicy ${dto.returnPolicy} disagrees with returnsToPool ${dto.returnsToPool}`);
  }
  return dto.returnPolicy ?? fromFlag ?? 'none';
}

const duplicates = (values: string[]) => new Set(values).size !== values.length;

/** The dates a campaign may name: a round in 1999 or a validity running to 2150 is a typo, not a plan. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function datesOf(dto: CreateCampaignDto): string[] {
  const dates = dto.voucherTypes.flatMap((type) =>
    type.rounds.flatMap((round) => [round.opensAt, round.closesAt, round.signupOpensAt, round.signupClosesAt]),
  );
  return [...dates, dto.validUntil].filter((date) => date !== undefined);
}

/**
 * Whether a campaign of these districts is the official's to create, move and read: a city-wide
 * official's are all; a district official's are those of exactly their district (a city-wide or
 * several-district campaign spends other districts' money too).
 */
export function inOfficialScope(official: AuthUser, districts: readonly string[]): boolean {
  return !official.district || (districts.length === 1 && districts[0] === official.district);
}

/** A lottery round has a sign-up window that opens before it closes; a grab round has none. */
function signupWindowViolation(round: RoundDto): string | null {
  const given = [round.signupOpensAt, round.signupClosesAt].filter((date) => date !== undefined).length;
  if ((round.kind ?? 'grab') === 'grab') return given === 0 ? null : 'a grab round takes no sign-up window';
  if (given < 2) return 'a lottery round needs signupOpensAt and signupClosesAt';
  return Date.parse(round.signupOpensAt as string) < Date.parse(round.signupClosesAt as string) ? null : 'sign-up closes before it opens';
}

/** What makes a spreadsheet read a cell as a formula. */
const FORMULA_START = /^[=+\-@]/;

/**
 * A lottery round names where its public value will be read (publicValueSource), before anyone
 * signs up: otherwise the officials could pick the source once the entrant list is known. A grab
 * round has no draw, and a source given for one is a form gone wrong.
 */
function publicValueSourceViolation(round: RoundDto): string | null {
  const given = round.publicValueSource !== undefined;
  if ((round.kind ?? 'grab') === 'grab') return given ? 'a grab round takes no publicValueSource' : null;
  if (!given) return "a lottery round names its public value's source (publicValueSource: publisher, figure, date)";
  // The entrants and results files carry it as a CSV cell: one a spreadsheet would take for a formula is refused (changing it would change what was announced).
  return FORMULA_START.test(round.publicValueSource!.normalize('NFKC').trim()) ? 'a public value source may not begin with =, +, - or @ (a spreadsheet would take it for a formula)' : null;
}

/**
 * The rules of a new campaign that one field alone cannot say. Returns the first broken
 * rule as a 4xx error, or null. The program-wide budget is checked in the transaction.
 */
export function campaignRuleViolation(dto: CreateCampaignDto, official: AuthUser): AppError | null {
  if (duplicates(dto.categories) || duplicates(dto.districts)) {
    return new AppError(CampaignErrorCode.DuplicateValues, 'categories and districts may not repeat');
  }
  if (!inOfficialScope(official, dto.districts)) {
    return new AppError(CommonErrorCode.OutsideOfficialDistrict, `A district official creates campaigns for ${official.district} only`);
  }
  const policy = returnPolicyOf(dto);
  if (policy instanceof AppError) return policy;
  const cityShareProblem = cityShareViolation(dto, official);
  if (cityShareProblem) return cityShareProblem;
  if (dto.validityDays === undefined && dto.validUntil === undefined) {
    return new AppError(CampaignErrorCode.ValidityRequired, 'Give validityDays, validUntil, or both');
  }
  const outOfRange = datesOf(dto).find((date) => !(Date.parse(date) >= EARLIEST && Date.parse(date) < LATEST));
  if (outOfRange !== undefined) {
    return new AppError(CampaignErrorCode.DateOutOfRange, `${outOfRange} is outside 2000-2099`);
  }
  for (const [i, type] of dto.voucherTypes.entries()) {
    if (type.thresholdFen < type.faceValueFen) {
      return new AppError(CampaignErrorCode.ThresholdBelowFaceValue, `${type.name}: the threshold is below the face value`);
    }
    for (const [j, round] of type.rounds.entries()) {
      if (round.closesAt !== undefined && Date.parse(round.closesAt) <= Date.parse(round.opensAt)) {
        return new AppError(CampaignErrorCode.RoundClosesBeforeOpening, `${type.name}: a round closes before it opens`);
      }
      const signupProblem = signupWindowViolation(round);
      if (signupProblem) return new AppError(CampaignErrorCode.SignupWindowInvalid, `${type.name}: ${signupProblem}`);
      const sourceProblem = publicValueSourceViolation(round);
      if (sourceProblem) {
        // The field, as a validation failure names it: the console shows the refusal by the round's input.
        return new AppError(CampaignErrorCode.PublicValueSourceInvalid, `${type.name}: ${sourceProblem}`, {
          field: `voucherTypes.${i}.rounds.${j}.publicValueSource`,
        });
      }
      if (dto.validUntil !== undefined && Date.parse(dto.validUntil) <= Date.parse(round.opensAt)) {
        return new AppError(CampaignErrorCode.ValidUntilBeforeRound, `${type.name}: a round opens after the vouchers' validity ends`);
      }
      // A lottery's vouchers are issued at its draw, after sign-up closes.
      if (dto.validUntil !== undefined && round.signupClosesAt !== undefined && Date.parse(dto.validUntil) <= Date.parse(round.signupClosesAt)) {
        return new AppError(CampaignErrorCode.ValidUntilBeforeRound, `${type.name}: a lottery's sign-up closes after the vouchers' validity ends`);
      }
    }
  }
  const buckets = new Set(dto.voucherTypes.flatMap((type) => type.rounds.map((round) => round.stockBuckets ?? 1)));
  if (buckets.size > 1) {
    return new AppError(CampaignErrorCode.StockBucketsDiffer, `The rounds name different stockBuckets (${[...buckets].join(', ')}); give them all the same`);
  }
  const committed = committedFaceValue(dto);
  if (committed > BigInt(dto.budgetFen)) {
    return new AppError(CampaignErrorCode.CampaignOverBudget, 'The rounds give out more face value than the budget', {
      committedFen: committed.toString(),
      budgetFen: dto.budgetFen,
    });
  }
  return null;
}
