import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORIES, DISTRICT_CODES, IsDateTimeWithOffset, IsDisplayName, NestedList, Omittable } from '@vouchers/common';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { RETURN_POLICIES, ReturnPolicy, ROUND_KINDS, RoundKind } from '@vouchers/database';
import { CAMPAIGN_STATUSES, CampaignStatus } from './campaign-states';

export const PARTIAL_REFUND_POLICIES = ['reverse_below_threshold', 'keep_discount'] as const;

export class RoundDto {
  @IsDateTimeWithOffset({ description: 'When the round opens', example: '2026-12-01T10:00:00+08:00' })
  opensAt: string;

  @IsDateTimeWithOffset({ description: 'When it stops admitting grabs', example: '2026-12-08T10:00:00+08:00', required: false })
  @Omittable()
  closesAt?: string;

  @ApiProperty({ example: 100000 })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quantity: number;

  @ApiPropertyOptional({
    enum: ROUND_KINDS,
    default: 'grab',
    example: 'lottery',
    description: 'grab: first come, first served from opensAt; lottery (摇号): residents sign up in the sign-up window, then a draw picks quantity winners',
  })
  @Omittable()
  @IsIn(ROUND_KINDS)
  kind?: RoundKind;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 64,
    default: 1,
    example: 8,
    description:
      'Hot-stock buckets: the parts the round\'s stock is split into in the admission state, each on a Redis slot of its own, so that a round of millions is not one key\'s worth of throughput. Each resident belongs to one bucket for the whole campaign, and a bucket that runs dry borrows from the others; a resident may be told sold out while at most this many vouchers remain elsewhere for a moment. Every round of a campaign takes the same (400 STOCK_BUCKETS_DIFFER). 1, the default: one stock key',
  })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(64)
  stockBuckets?: number;

  @IsDateTimeWithOffset({ description: "A lottery's sign-up opens (lottery rounds only)", example: '2026-11-28T10:00:00+08:00', required: false })
  @Omittable()
  signupOpensAt?: string;

  @IsDateTimeWithOffset({ description: "A lottery's sign-up closes (lottery rounds only)", example: '2026-11-30T10:00:00+08:00', required: false })
  @Omittable()
  signupClosesAt?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    example: '上海证券交易所公布的 2026-12-10 上证指数收盘点数',
    description:
      "A lottery round's public value source (开奖依据), required for one and refused on a grab round (400 PUBLIC_VALUE_SOURCE_INVALID): " +
      'the publisher, the figure and the date the public value of the draw will be read from. Published with the commitment ' +
      'before sign-up and never changed, so the officials cannot choose the source once the entrants are known. Trimmed',
  })
  @Omittable()
  // Trimmed before the checks: a source of spaces is none, and the published text has no stray ends.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 200)
  @IsDisplayName()
  publicValueSource?: string;
}

export class VoucherTypeDto {
  @ApiProperty({ example: '满100减30' })
  @IsString()
  @Length(1, 64)
  @IsDisplayName()
  name: string;

  @ApiProperty({ example: 3000, description: 'Discount in fen' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  faceValueFen: number;

  @ApiProperty({ example: 10000, description: 'Least order amount in fen' })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  thresholdFen: number;

  @ApiProperty({ type: [RoundDto] })
  @NestedList(() => RoundDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  rounds: RoundDto[];
}

export class CreateCampaignDto {
  @ApiProperty({ example: '宁波消费券 · 餐饮' })
  @IsString()
  @Length(1, 200)
  @IsDisplayName()
  name: string;

  @ApiProperty({ enum: CATEGORIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(CATEGORIES, { each: true })
  categories: string[];

  @ApiProperty({ enum: DISTRICT_CODES, isArray: true, description: 'Empty: the whole city' })
  @IsArray()
  @IsIn(DISTRICT_CODES, { each: true })
  districts: string[];

  @ApiProperty({ example: 300_000_000, description: 'Budget in fen' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  budgetFen: number;

  @ApiPropertyOptional({
    example: 5000,
    description:
      "The city's share of each subsidy in basis points; the district pays the rest. The city sets it: a city-wide official " +
      'must give it; a district official must leave it out (403 CITY_SHARE_SET_BY_CITY) and the campaign takes the city setting ' +
      'DISTRICT_CAMPAIGN_CITY_SHARE_BP (5000 by default)',
  })
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(10_000)
  cityShareBp?: number;

  @ApiPropertyOptional({ example: 7, description: 'Days a voucher stays valid after its claim' })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(366)
  validityDays?: number;

  @IsDateTimeWithOffset({ description: 'A fixed last moment of validity', example: '2026-12-31T23:59:59+08:00', required: false })
  @Omittable()
  validUntil?: string;

  @ApiProperty({ example: 2, description: 'Vouchers one person may hold in this campaign (one per round)' })
  @IsInt()
  @Min(1)
  @Max(10)
  perPersonLimit: number;

  @ApiPropertyOptional({
    enum: RETURN_POLICIES,
    default: 'none',
    example: 'next_round',
    description:
      'Where the value of vouchers that expire unused, and of stock a round leaves unclaimed when it closes, goes (回流): none; ' +
      'next_round (a later round of the same voucher type gets the stock); program_budget (the campaign budget is lowered by it, ' +
      "split between city and district by the campaign's share, and the program's available budget rises). " +
      'Give it, or the older returnsToPool, or neither; both must agree (400 RETURN_POLICY_CONFLICT)',
  })
  @Omittable()
  @IsIn(RETURN_POLICIES)
  returnPolicy?: ReturnPolicy;

  @ApiPropertyOptional({ example: true, description: 'The older form of returnPolicy: true is next_round, false is none' })
  @Omittable()
  @IsBoolean()
  returnsToPool?: boolean;

  @ApiPropertyOptional({
    enum: PARTIAL_REFUND_POLICIES,
    default: 'reverse_below_threshold',
    description:
      'What a partial refund does to the discount: reverse_below_threshold takes it back once the order left is below ' +
      'the threshold; keep_discount never takes it back on a partial refund (a full refund always does)',
  })
  @Omittable()
  @IsIn(PARTIAL_REFUND_POLICIES)
  partialRefundPolicy?: (typeof PARTIAL_REFUND_POLICIES)[number];

  @ApiProperty({ type: [VoucherTypeDto], description: 'One to three voucher types, each with its rounds' })
  @NestedList(() => VoucherTypeDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  voucherTypes: VoucherTypeDto[];
}

/** The answer to a created campaign: its id, and the city's share it was given (the city's setting, for a district official's). */
export class CreatedCampaignView {
  @ApiProperty({ description: 'Public id of the campaign', format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'integer', example: 5000, description: "The city's share of each subsidy in basis points" })
  cityShareBp: number;
}

/** The answer to a move: the campaign and the status it is in now. */
export class TransitionView {
  @ApiProperty({ description: 'Public id of the campaign', format: 'uuid' })
  id: string;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status: CampaignStatus;
}

export class TransitionDto {
  @ApiProperty({ enum: CAMPAIGN_STATUSES, example: 'scheduled' })
  @IsIn(CAMPAIGN_STATUSES)
  to: CampaignStatus;

  @ApiPropertyOptional({ example: 'Round moved after the holiday' })
  @Omittable()
  @IsString()
  @Length(1, 500)
  reason?: string;
}
