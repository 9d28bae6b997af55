import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, DISTRICT_CODES, Fen } from '@vouchers/common';
import { Campaign, Round, Voucher, VoucherType } from '@vouchers/database';
import { VOUCHER_STATUSES } from './list-vouchers.query';
import type { RoundInfo } from './round-catalog';

/** A voucher as its owner sees it. */
export class VoucherView {
  @ApiProperty({ description: 'Public id of the voucher', format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  campaignId: string;

  @ApiProperty({ example: '宁波消费券 · 餐饮' })
  campaignName: string;

  @ApiProperty({ format: 'uuid' })
  roundId: string;

  @ApiProperty({ example: '满100减30' })
  voucherTypeName: string;

  @ApiProperty({ type: 'integer', example: 3000, description: 'Discount in fen' })
  faceValueFen: Fen;

  @ApiProperty({ type: 'integer', example: 10000, description: 'Least order amount in fen' })
  thresholdFen: Fen;

  @ApiProperty({ enum: CATEGORIES, isArray: true })
  categories: string[];

  @ApiProperty({ enum: DISTRICT_CODES, isArray: true, description: 'Empty: usable in the whole city' })
  districts: string[];

  @ApiProperty({ enum: VOUCHER_STATUSES, description: 'As its owner sees it (a claimed voucher past its validity is expired)' })
  status: string;

  @ApiProperty({ format: 'date-time' })
  claimedAt: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  redeemedAt: string | null;
}

/** A resident's voucher as read for its view: the row with its campaign, round and voucher type joined. */
export type OwnedVoucher = Pick<Voucher, 'publicId' | 'faceValueFen' | 'thresholdFen' | 'claimedAt' | 'expiresAt' | 'redeemedAt'> & {
  campaign: Pick<Campaign, 'publicId' | 'name' | 'categories' | 'districts'>;
  round: Pick<Round, 'publicId'> & { voucherType: Pick<VoucherType, 'name'> };
};

/** `status` is the one its owner sees (shownVoucherStatus in resident-vouchers.sql.ts), not the row's. */
export function toVoucherView(voucher: OwnedVoucher, status: string): VoucherView {
  return {
    id: voucher.publicId,
    campaignId: voucher.campaign.publicId,
    campaignName: voucher.campaign.name,
    roundId: voucher.round.publicId,
    voucherTypeName: voucher.round.voucherType.name,
    faceValueFen: voucher.faceValueFen,
    thresholdFen: voucher.thresholdFen,
    categories: voucher.campaign.categories,
    districts: voucher.campaign.districts,
    status,
    claimedAt: voucher.claimedAt.toISOString(),
    expiresAt: voucher.expiresAt.toISOString(),
    redeemedAt: voucher.redeemedAt ? voucher.redeemedAt.toISOString() : null,
  };
}

/** What a voucher's view needs of its row when its round is known (RoundCatalog): no join. */
export interface RoundVoucher {
  publicId: string;
  status: string;
  claimedAt: Date;
  expiresAt: Date;
  redeemedAt: Date | null;
}

/** A voucher of a round the catalog holds: the campaign's and voucher type's fields come from the round. */
export function roundVoucherView(round: RoundInfo, voucher: RoundVoucher): VoucherView {
  return {
    id: voucher.publicId,
    campaignId: round.campaignId,
    campaignName: round.campaignName,
    roundId: round.roundId,
    voucherTypeName: round.voucherTypeName,
    faceValueFen: round.faceValueFen,
    thresholdFen: round.thresholdFen,
    categories: round.categories,
    districts: round.districts,
    status: voucher.status,
    claimedAt: voucher.claimedAt.toISOString(),
    expiresAt: voucher.expiresAt.toISOString(),
    redeemedAt: voucher.redeemedAt ? voucher.redeemedAt.toISOString() : null,
  };
}
