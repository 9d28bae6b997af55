import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One set of the program's figures (DESIGN §9) for a grouping over a range of business days. */
export class FiguresView {
  @ApiProperty({ description: 'Vouchers in rounds opening in the range (in the campaign’s district and category)' })
  offered: number;

  @ApiProperty({ description: 'Vouchers claimed (counted in the campaign’s district: 全市 when city-wide)' })
  claimed: number;

  @ApiProperty({ description: 'Face value of the vouchers claimed, in fen' })
  claimedFen: number;

  @ApiProperty({ description: 'Redemptions (counted in the merchant’s district and category)' })
  redeemed: number;

  @ApiProperty({ description: 'Refunds made in the range' })
  refunded: number;

  @ApiProperty({ description: 'Vouchers whose status is expired, on their expiry day' })
  expired: number;

  @ApiProperty({ description: 'Order amounts of the redemptions, in fen' })
  orderAmountFen: number;

  @ApiProperty({ description: 'Goods value refunded, in fen' })
  refundAmountFen: number;

  @ApiProperty({ description: '拉动消费: orderAmountFen − refundAmountFen' })
  consumptionFen: number;

  @ApiProperty({ description: 'Subsidy: discounts less discounts taken back by refunds, in fen' })
  subsidyFen: number;

  @ApiProperty({ description: 'The city’s share of the subsidy (city_part_fen), in fen' })
  citySubsidyFen: number;

  @ApiProperty({ description: 'The districts’ share of the subsidy, in fen' })
  districtSubsidyFen: number;

  @ApiProperty({ type: Number, nullable: true, description: '拉动比: consumptionFen ÷ subsidyFen, two decimals; null without subsidy' })
  leverage: number | null;

  @ApiProperty({ type: Number, nullable: true, description: '核销率: redeemed ÷ claimed, four decimals; null without claims' })
  redemptionRate: number | null;

  @ApiProperty({ description: '参与商户: merchants that redeemed a voucher' })
  merchants: number;

  @ApiProperty({ description: '用券人数: residents who redeemed a voucher (claims are counted as vouchers: one a person per round)' })
  residents: number;
}

export class CampaignFiguresView extends FiguresView {
  @ApiProperty({ format: 'uuid' })
  campaignId: string;

  @ApiProperty()
  campaignName: string;
}

export class VoucherTypeFiguresView extends FiguresView {
  @ApiProperty({ format: 'uuid' })
  voucherTypeId: string;

  @ApiProperty()
  voucherTypeName: string;
}

export class DistrictFiguresView extends FiguresView {
  @ApiProperty({ description: 'District code (haishu…), or 全市 for claims of city-wide campaigns' })
  district: string;

  @ApiProperty({ description: 'The district’s name (海曙区…)' })
  districtName: string;
}

export class CategoryFiguresView extends FiguresView {
  @ApiProperty({ description: 'Category; 综合 for claims of a campaign of several categories' })
  category: string;
}

export class DayFiguresView extends FiguresView {
  @ApiProperty({ example: '2026-12-01', description: 'Business day (Asia/Shanghai)' })
  day: string;
}

/** One district in detail. */
export class DistrictDetailView {
  @ApiProperty()
  district: string;

  @ApiProperty()
  districtName: string;

  @ApiProperty({ type: FiguresView })
  total: FiguresView;

  @ApiProperty({ type: [CampaignFiguresView] })
  byCampaign: CampaignFiguresView[];

  @ApiProperty({ type: [VoucherTypeFiguresView] })
  byVoucherType: VoucherTypeFiguresView[];

  @ApiProperty({ type: [CategoryFiguresView] })
  byCategory: CategoryFiguresView[];

  @ApiProperty({ type: [DayFiguresView] })
  byDay: DayFiguresView[];
}

/**
 * The figures of a range. A city-wide official or auditor gets every grouping and every
 * district in detail; a district's official the city's totals and their own district only.
 */
export class FiguresReportView {
  @ApiProperty({ example: '2026-12-01' })
  from: string;

  @ApiProperty({ example: '2026-12-01' })
  to: string;

  @ApiProperty({ description: 'When the figures were read (UTC): they include every commit before it' })
  asOf: string;

  @ApiPropertyOptional({ description: 'The district the caller is scoped to; absent for city-wide callers' })
  scopedTo?: string;

  @ApiProperty({ type: FiguresView, description: 'The whole city' })
  total: FiguresView;

  @ApiProperty({ type: [CampaignFiguresView], description: 'City-wide callers only (empty for a district’s official)' })
  byCampaign: CampaignFiguresView[];

  @ApiProperty({ type: [VoucherTypeFiguresView], description: 'City-wide callers only' })
  byVoucherType: VoucherTypeFiguresView[];

  @ApiProperty({ type: [DistrictFiguresView], description: 'City-wide callers only' })
  byDistrict: DistrictFiguresView[];

  @ApiProperty({ type: [CategoryFiguresView], description: 'City-wide callers only' })
  byCategory: CategoryFiguresView[];

  @ApiProperty({ type: [DayFiguresView], description: 'The city per day, every day of the range' })
  byDay: DayFiguresView[];

  @ApiProperty({ type: [DistrictDetailView], description: 'Districts in detail: every one for city-wide callers, the own one for a district’s official' })
  districts: DistrictDetailView[];
}
