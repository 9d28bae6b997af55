import { ApiProperty } from '@nestjs/swagger';
import { DistrictDetailView, FiguresView } from './figures.view';
import { LEAGUE_PERIODS, LeaguePeriod } from './league-period';

export class DistrictTargetsView {
  @ApiProperty({ type: Number, nullable: true, description: 'Consumption driven expected, in fen' })
  consumptionFen: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Subsidy expected, in fen' })
  subsidyFen: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Redemptions expected' })
  redeemed: number | null;
}

export class LeagueRowView extends FiguresView {
  @ApiProperty({ description: 'Rank by consumption driven, largest first; equal figures share a rank' })
  rank: number;

  @ApiProperty()
  district: string;

  @ApiProperty()
  districtName: string;

  @ApiProperty({ type: DistrictTargetsView })
  targets: DistrictTargetsView;

  @ApiProperty({ type: Number, nullable: true, description: 'consumptionFen ÷ its target, four decimals; null without a target' })
  consumptionAttainment: number | null;
}

/** 月晾晒: every district side by side, ranked, against its targets; the caller's districts in detail. */
export class LeagueTableView {
  @ApiProperty({ enum: LEAGUE_PERIODS })
  period: LeaguePeriod;

  @ApiProperty({ example: '2026-12-01' })
  from: string;

  @ApiProperty({ example: '2026-12-31' })
  to: string;

  @ApiProperty()
  asOf: string;

  @ApiProperty({ type: FiguresView, description: 'The whole city, city-wide campaigns’ claims (全市) included' })
  total: FiguresView;

  @ApiProperty({ type: [LeagueRowView], description: 'The ten districts, ranked' })
  rows: LeagueRowView[];

  @ApiProperty({ type: [DistrictDetailView], description: 'Per day, campaign and category: every district for city-wide callers, the own one for a district’s official' })
  districts: DistrictDetailView[];
}

export class DistrictTargetView extends DistrictTargetsView {
  @ApiProperty()
  district: string;
}

export class TargetsView {
  @ApiProperty({ enum: LEAGUE_PERIODS })
  period: LeaguePeriod;

  @ApiProperty({ example: '2026-12-01' })
  start: string;

  @ApiProperty({ type: [DistrictTargetView], description: 'Every district with targets for the period' })
  targets: DistrictTargetView[];
}
