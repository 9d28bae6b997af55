// The new-campaign form as typed (yuan, percent, Beijing times) and the request it becomes
// (POST /v1/admin/campaigns: fen, basis points, times with +08:00). Its checks are the API's
// own (apps/issuance/src/campaigns/campaign-rules.ts), said by the field they concern before
// the request is sent; the API's refusals of the same rules have words too (messages.ts).
import { ApiError } from '../shared/api';
import { fenOf } from '../shared/money';

export type RoundKind = 'grab' | 'lottery';

/**
 * A round: a grab opens at opensAt (and may close); a lottery (摇号) takes sign-ups in its
 * window and is drawn by officials after it closes, opensAt being its planned draw.
 */
export interface RoundInput {
  kind: RoundKind;
  opensAt: string;
  /** A grab's end (optional); a lottery round has none. */
  closesAt: string;
  signupOpensAt: string;
  signupClosesAt: string;
  /**
   * A lottery's public value source (开奖依据): publisher, figure and date, published with the
   * commitment before sign-up and never changed; a grab round sends none.
   */
  publicValueSource: string;
  quantity: number;
}

export interface TypeInput {
  name: string;
  faceYuan: string;
  thresholdYuan: string;
  rounds: RoundInput[];
}

export interface CampaignInput {
  name: string;
  categories: string[];
  districts: string[];
  budgetYuan: string;
  citySharePercent: number | null;
  perPersonLimit: number;
  validityDays: number | null;
  /** A fixed last moment of the vouchers' validity ('' for none); a lottery's sign-up must close before it. */
  validUntil: string;
  /** Hot-stock buckets of every round (the API takes one number for all of a campaign's rounds). */
  stockBuckets: number;
  returnsToPool: boolean;
  partialRefundPolicy: 'reverse_below_threshold' | 'keep_discount';
  voucherTypes: TypeInput[];
}

export const emptyRound = (): RoundInput => ({ kind: 'grab', opensAt: '', closesAt: '', signupOpensAt: '', signupClosesAt: '', publicValueSource: '', quantity: 1000 });

/** The longest public value source the API takes (create-campaign.dto.ts), once trimmed. */
export const SOURCE_MAX = 200;
export const emptyType = (): TypeInput => ({ name: '', faceYuan: '', thresholdYuan: '', rounds: [emptyRound()] });

export function emptyCampaign(): CampaignInput {
  return {
    name: '', categories: [], districts: [], budgetYuan: '', citySharePercent: 50, perPersonLimit: 1, validityDays: 7, validUntil: '', stockBuckets: 1,
    returnsToPool: false, partialRefundPolicy: 'reverse_below_threshold', voucherTypes: [emptyType()],
  };
}

/** A picked 'YYYY-MM-DDTHH:mm:ss' read as Beijing time. */
const beijing = (local: string) => `${local}+08:00`;
const instant = (local: string) => Date.parse(beijing(local));

/** The dates the API takes: 2000-2099 (a round in 1999 or a validity running to 2150 is a typo). */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const outOfRange = (local: string) => !(instant(local) >= EARLIEST && instant(local) < LATEST);

/**
 * A round's problems, by field path under `at` (as campaign-rules.ts refuses them), and its part
 * of the request: a grab's opening (and end), a lottery's sign-up window and planned draw.
 */
function roundOf(round: RoundInput, at: string, validUntil: string, buckets: number, problems: Record<string, string>): Record<string, unknown> {
  const lottery = round.kind === 'lottery';
  const dates = lottery
    ? { opensAt: round.opensAt, signupOpensAt: round.signupOpensAt, signupClosesAt: round.signupClosesAt }
    : { opensAt: round.opensAt, closesAt: round.closesAt };
  for (const [field, value] of Object.entries(dates)) {
    if (value && outOfRange(value)) problems[`${at}.${field}`] = 'dateOutOfRange';
  }
  const problem = (field: string, key: string) => (problems[`${at}.${field}`] ??= key);
  if (!round.opensAt) problem('opensAt', 'required');
  else if (validUntil && instant(validUntil) <= instant(round.opensAt)) problem('opensAt', 'opensAfterValidity');
  if (!lottery) {
    if (round.closesAt && round.opensAt && instant(round.closesAt) <= instant(round.opensAt)) problem('closesAt', 'closesBeforeOpens');
    return { kind: 'grab', opensAt: beijing(round.opensAt), ...(round.closesAt ? { closesAt: beijing(round.closesAt) } : {}), quantity: round.quantity, stockBuckets: buckets };
  }
  if (!round.signupOpensAt) problem('signupOpensAt', 'required');
  if (!round.signupClosesAt) problem('signupClosesAt', 'required');
  else if (round.signupOpensAt && instant(round.signupClosesAt) <= instant(round.signupOpensAt)) problem('signupClosesAt', 'signupClosesBeforeOpens');
  else if (validUntil && instant(validUntil) <= instant(round.signupClosesAt)) problem('signupClosesAt', 'signupAfterValidity');
  const source = round.publicValueSource.trim();
  if (!source) problem('publicValueSource', 'required');
  else if ([...source].length > SOURCE_MAX) problem('publicValueSource', 'sourceTooLong');
  return {
    kind: 'lottery',
    opensAt: beijing(round.opensAt),
    signupOpensAt: beijing(round.signupOpensAt),
    signupClosesAt: beijing(round.signupClosesAt),
    publicValueSource: source,
    quantity: round.quantity,
    stockBuckets: buckets,
  };
}

/** The problems of the form, by field path ('' when none), and the request body when there are none. */
export function requestOf(input: CampaignInput, cityWide: boolean): { problems: Record<string, string>; body: unknown } {
  const problems: Record<string, string> = {};
  if (!input.name.trim()) problems.name = 'required';
  if (input.categories.length === 0) problems.categories = 'required';
  const budgetFen = fenOf(input.budgetYuan);
  if (budgetFen === null || budgetFen < 1) problems.budgetYuan = 'badMoney';
  if (!input.validityDays && !input.validUntil) problems.validityDays = 'validityRequired';
  if (input.validUntil && outOfRange(input.validUntil)) problems.validUntil = 'dateOutOfRange';
  const voucherTypes = input.voucherTypes.map((type, i) => {
    const faceValueFen = fenOf(type.faceYuan);
    const thresholdFen = fenOf(type.thresholdYuan);
    if (!type.name.trim()) problems[`types.${i}.name`] = 'required';
    if (faceValueFen === null || faceValueFen < 1) problems[`types.${i}.face`] = 'badMoney';
    if (thresholdFen === null || thresholdFen < 1) problems[`types.${i}.threshold`] = 'badMoney';
    const rounds = type.rounds.map((round, j) => roundOf(round, `types.${i}.rounds.${j}`, input.validUntil, input.stockBuckets, problems));
    return { name: type.name.trim(), faceValueFen, thresholdFen, rounds };
  });
  const body = {
    name: input.name.trim(),
    categories: input.categories,
    districts: input.districts,
    budgetFen,
    ...(cityWide && input.citySharePercent !== null ? { cityShareBp: Math.round(input.citySharePercent * 100) } : {}),
    perPersonLimit: input.perPersonLimit,
    ...(input.validityDays ? { validityDays: input.validityDays } : {}),
    ...(input.validUntil ? { validUntil: beijing(input.validUntil) } : {}),
    returnsToPool: input.returnsToPool,
    partialRefundPolicy: input.partialRefundPolicy,
    voucherTypes,
  };
  return { problems, body };
}

/** A round's field as the API names it (voucherTypes.0.rounds.1.publicValueSource), then as the form does (types.0.rounds.1.publicValueSource). */
const API_SOURCE_FIELD = /^voucherTypes\.(\d+)\.rounds\.(\d+)\.publicValueSource\b/;

/**
 * An API refusal the form can show by a field, as it shows its own checks: the field's path and
 * the words' key under campaigns.form; null for one it shows only as a whole. The source is the
 * one field whose rules the form cannot fully say first (a grab round sent with one, a character
 * the API refuses): PUBLIC_VALUE_SOURCE_INVALID names its field in details.field, a validation
 * failure in the text of its problem.
 */
export function fieldRefusalOf(error: unknown): { path: string; key: string } | null {
  if (!(error instanceof ApiError)) return null;
  const details = (error.details ?? {}) as { field?: unknown; problems?: unknown };
  const named = (text: unknown) => (typeof text === 'string' ? API_SOURCE_FIELD.exec(text) : null);
  if (error.code === 'PUBLIC_VALUE_SOURCE_INVALID') {
    const at = named(details.field);
    return at ? { path: `types.${at[1]}.rounds.${at[2]}.publicValueSource`, key: 'PUBLIC_VALUE_SOURCE_INVALID' } : null;
  }
  if (error.code === 'VALIDATION_FAILED' && Array.isArray(details.problems)) {
    const at = details.problems.map(named).find((match) => match !== null);
    return at ? { path: `types.${at[1]}.rounds.${at[2]}.publicValueSource`, key: 'sourceInvalid' } : null;
  }
  return null;
}
