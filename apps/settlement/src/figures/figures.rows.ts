import { DISTRICT_CODES, DISTRICTS, fenFromColumn } from '@vouchers/common';
import {
  CampaignFiguresView,
  CategoryFiguresView,
  DayFiguresView,
  DistrictDetailView,
  DistrictFiguresView,
  FiguresView,
  VoucherTypeFiguresView,
} from './figures.view';

/**
 * What FIGURE_TOTALS and FIGURE_PARTIES answer, and their shaping into views. Every row is
 * already an aggregate; here only the derived ratios are computed and the rows are keyed.
 */

export type Dimension =
  | 'total'
  | 'campaign'
  | 'voucherType'
  | 'district'
  | 'category'
  | 'districtCampaign'
  | 'districtVoucherType'
  | 'districtCategory'
  | 'day'
  | 'dayDistrict';

/** Claims of a campaign of no single district count here (the migration's figures_claim_district). */
export const CITY_WIDE = '全市';

interface KeyColumns {
  dimension: Dimension;
  day: string | null;
  district: string | null;
  category: string | null;
  campaign_id: string | null;
  voucher_type_id: string | null;
}

export interface TotalsRow extends KeyColumns {
  campaign_name: string | null;
  voucher_type_name: string | null;
  offered: string;
  claimed: string;
  claimed_fen: string;
  redeemed: string;
  order_amount_fen: string;
  discount_fen: string;
  city_fen: string;
  district_fen: string;
  refunded: string;
  refund_amount_fen: string;
  reversed_fen: string;
  reversed_city_fen: string;
  reversed_district_fen: string;
  expired: string;
  expired_fen: string;
}

export interface PartiesRow extends KeyColumns {
  residents: string;
  merchants: string;
}

const fen = (value: string | null | undefined): number => fenFromColumn(value ?? null) ?? 0;
const count = (value: string | null | undefined): number => Number(value ?? 0);

export const districtName = (district: string): string => (DISTRICTS as Record<string, string>)[district] ?? district;

/** consumption ÷ subsidy to two decimals, redeemed ÷ claimed to four; null when there is nothing to divide by. */
function ratio(numerator: number, denominator: number, decimals: number): number | null {
  if (denominator === 0) return null;
  const scale = 10 ** decimals;
  return Math.round((numerator / denominator) * scale) / scale;
}

export function figuresOf(totals: TotalsRow | undefined, parties: PartiesRow | undefined): FiguresView {
  const orderAmountFen = fen(totals?.order_amount_fen);
  const refundAmountFen = fen(totals?.refund_amount_fen);
  const subsidyFen = fen(totals?.discount_fen) - fen(totals?.reversed_fen);
  const claimed = count(totals?.claimed);
  const redeemed = count(totals?.redeemed);
  const consumptionFen = orderAmountFen - refundAmountFen;
  return {
    offered: count(totals?.offered),
    claimed,
    claimedFen: fen(totals?.claimed_fen),
    redeemed,
    refunded: count(totals?.refunded),
    expired: count(totals?.expired),
    orderAmountFen,
    refundAmountFen,
    consumptionFen,
    subsidyFen,
    citySubsidyFen: fen(totals?.city_fen) - fen(totals?.reversed_city_fen),
    districtSubsidyFen: fen(totals?.district_fen) - fen(totals?.reversed_district_fen),
    leverage: ratio(consumptionFen, subsidyFen, 2),
    redemptionRate: ratio(redeemed, claimed, 4),
    merchants: count(parties?.merchants),
    residents: count(parties?.residents),
  };
}

const keyOf = (row: KeyColumns): string =>
  [row.dimension, row.day, row.district, row.category, row.campaign_id, row.voucher_type_id].map((part) => part ?? '').join('|');

/** The answer of one read: both statements' rows, looked up by grouping. */
export class FigureRows {
  private readonly parties: Map<string, PartiesRow>;

  constructor(
    private readonly totals: TotalsRow[],
    parties: PartiesRow[],
  ) {
    this.parties = new Map(parties.map((row) => [keyOf(row), row]));
  }

  /**
   * The rows of one grouping (of one district's, when given), each with its parties. Every parties
   * row has its totals row: the till's trigger writes both in one transaction, read in one snapshot.
   */
  private rows(dimension: Dimension, district?: string): Array<{ key: KeyColumns; totals: TotalsRow; parties?: PartiesRow }> {
    return this.totals
      .filter((row) => row.dimension === dimension && (district === undefined || row.district === district))
      .map((row) => ({ key: row, totals: row, parties: this.parties.get(keyOf(row)) }));
  }

  total(): FiguresView {
    const [row] = this.rows('total');
    return figuresOf(row?.totals, row?.parties);
  }

  byCampaign(district?: string): CampaignFiguresView[] {
    return this.rows(district === undefined ? 'campaign' : 'districtCampaign', district).map(({ totals, parties, key }) => ({
      campaignId: key.campaign_id as string,
      campaignName: totals?.campaign_name ?? '',
      ...figuresOf(totals, parties),
    }));
  }

  byVoucherType(district?: string): VoucherTypeFiguresView[] {
    return this.rows(district === undefined ? 'voucherType' : 'districtVoucherType', district).map(({ totals, parties, key }) => ({
      voucherTypeId: key.voucher_type_id as string,
      voucherTypeName: totals?.voucher_type_name ?? '',
      ...figuresOf(totals, parties),
    }));
  }

  byCategory(district?: string): CategoryFiguresView[] {
    return this.rows(district === undefined ? 'category' : 'districtCategory', district)
      .map(({ totals, parties, key }) => ({ category: key.category as string, ...figuresOf(totals, parties) }))
      .sort((a, b) => a.category.localeCompare(b.category));
  }

  /** Every district, the ten in code order (zeros where nothing happened), then 全市 when city-wide claims were made. */
  byDistrict(): DistrictFiguresView[] {
    const rows = new Map(this.rows('district').map((row) => [row.key.district as string, row]));
    const districts: string[] = [...DISTRICT_CODES, ...(rows.has(CITY_WIDE) ? [CITY_WIDE] : [])];
    return districts.map((district) => ({ district, districtName: districtName(district), ...figuresOf(rows.get(district)?.totals, rows.get(district)?.parties) }));
  }

  district(district: string): FiguresView {
    const [row] = this.rows('district', district);
    return figuresOf(row?.totals, row?.parties);
  }

  /** Every day of the range, in order, zeros where nothing happened; the city's, or one district's. */
  byDay(days: string[], district?: string): DayFiguresView[] {
    const rows = new Map(this.rows(district === undefined ? 'day' : 'dayDistrict', district).map((row) => [row.key.day as string, row]));
    return days.map((day) => ({ day, ...figuresOf(rows.get(day)?.totals, rows.get(day)?.parties) }));
  }

  detail(district: string, days: string[]): DistrictDetailView {
    return {
      district,
      districtName: districtName(district),
      total: this.district(district),
      byCampaign: this.byCampaign(district),
      byVoucherType: this.byVoucherType(district),
      byCategory: this.byCategory(district),
      byDay: this.byDay(days, district),
    };
  }
}
