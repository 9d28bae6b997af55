// The new-campaign form as typed (yuan, percent, Beijing times) and the request it becomes
// (POST /v1/admin/campaigns: fen, basis points, times with +08:00).
import { fenOf } from '@web/shared/money';

export interface RoundInput {
  opensAt: string;
  closesAt: string;
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
  /** Hot-stock buckets of every round (the API takes one number for all of a campaign's rounds). */
  stockBuckets: number;
  returnsToPool: boolean;
  partialRefundPolicy: 'reverse_below_threshold' | 'keep_discount';
  voucherTypes: TypeInput[];
}

export const emptyRound = (): RoundInput => ({ opensAt: '', closesAt: '', quantity: 1000 });
export const emptyType = (): TypeInput => ({ name: '', faceYuan: '', thresholdYuan: '', rounds: [emptyRound()] });

export function emptyCampaign(): CampaignInput {
  return {
    name: '', categories: [], districts: [], budgetYuan: '', citySharePercent: 50, perPersonLimit: 1, validityDays: 7, stockBuckets: 1,
    returnsToPool: false, partialRefundPolicy: 'reverse_below_threshold', voucherTypes: [emptyType()],
  };
}

/** A picked 'YYYY-MM-DDTHH:mm:ss' read as Beijing time. */
const beijing = (local: string) => `${local}+08:00`;

/** The problems of the form, by field path ('' when none), and the request body when there are none. */
export function requestOf(input: CampaignInput, cityWide: boolean): { problems: Record<string, string>; body: unknown } {
  const problems: Record<string, string> = {};
  if (!input.name.trim()) problems.name = 'required';
  if (input.categories.length === 0) problems.categories = 'required';
  const budgetFen = fenOf(input.budgetYuan);
  if (budgetFen === null || budgetFen < 1) problems.budgetYuan = 'badMoney';
  const voucherTypes = input.voucherTypes.map((type, i) => {
    const faceValueFen = fenOf(type.faceYuan);
    const thresholdFen = fenOf(type.thresholdYuan);
    if (!type.name.trim()) problems[`types.${i}.name`] = 'required';
    if (faceValueFen === null || faceValueFen < 1) problems[`types.${i}.face`] = 'badMoney';
    if (thresholdFen === null || thresholdFen < 1) problems[`types.${i}.threshold`] = 'badMoney';
    const rounds = type.rounds.map((round, j) => {
      if (!round.opensAt) problems[`types.${i}.rounds.${j}.opensAt`] = 'required';
      return { opensAt: beijing(round.opensAt), ...(round.closesAt ? { closesAt: beijing(round.closesAt) } : {}), quantity: round.quantity, stockBuckets: input.stockBuckets };
    });
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
    returnsToPool: input.returnsToPool,
    partialRefundPolicy: input.partialRefundPolicy,
    voucherTypes,
  };
  return { problems, body };
}
