import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DISTRICT_CODES, IsBusinessDate, NestedList } from '@vouchers/common';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { LEAGUE_PERIODS, LeaguePeriod } from './league-period';

export class FiguresRangeQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'First business day (Asia/Shanghai), inclusive; default today (or to)' })
  @IsOptional()
  @IsBusinessDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-07', description: 'Last business day, inclusive; default from; at most 366 days' })
  @IsOptional()
  @IsBusinessDate()
  to?: string;
}

export const LEAGUE_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type LeagueFormat = (typeof LEAGUE_FORMATS)[number];

export class LeagueQuery {
  @ApiProperty({ enum: LEAGUE_PERIODS, example: 'month' })
  @IsIn(LEAGUE_PERIODS)
  period: LeaguePeriod;

  @ApiProperty({ example: '2026-12-01', description: 'The period’s first day: a Monday for a week, the 1st for a month' })
  @IsBusinessDate()
  start: string;

  @ApiPropertyOptional({ enum: LEAGUE_FORMATS, description: 'csv or xlsx: the same table as a download' })
  @IsOptional()
  @IsIn(LEAGUE_FORMATS)
  format?: LeagueFormat;
}

/** Up to ten thousand billion fen: beyond any district's year, within a safe integer. */
const MAX_TARGET_FEN = 1_000_000_000_000_000;

export class DistrictTargetDto {
  @ApiProperty({ enum: DISTRICT_CODES, example: 'haishu' })
  @IsIn(DISTRICT_CODES)
  district: string;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 500_000_000, description: 'Consumption driven expected, in fen; absent or null: not set' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_TARGET_FEN)
  consumptionFen?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Subsidy expected, in fen' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_TARGET_FEN)
  subsidyFen?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Redemptions expected' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_000_000_000)
  redeemed?: number | null;
}

export class SetTargetsDto {
  @ApiProperty({ enum: LEAGUE_PERIODS, example: 'month' })
  @IsIn(LEAGUE_PERIODS)
  period: LeaguePeriod;

  @ApiProperty({ example: '2026-12-01', description: 'The period’s first day: a Monday for a week, the 1st for a month' })
  @IsBusinessDate()
  start: string;

  @ApiProperty({ type: [DistrictTargetDto], description: 'One entry per district (each at most once); districts left out keep their targets' })
  @NestedList(() => DistrictTargetDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(DISTRICT_CODES.length)
  targets: DistrictTargetDto[];
}
