import { Fen } from '@vouchers/common';
import { Campaign, Round, Voucher, VoucherType } from '@vouchers/database';

/** A voucher as its owner sees it. */
export interface VoucherView {
  id: string;
  campaignId: string;
  campaignName: string;
  roundId: string;
  voucherTypeName: string;
  faceValueFen: Fen;
  thresholdFen: Fen;
  categories: string[];
  /** Empty: usable in the whole city. */
  districts: string[];
  status: string;
  claimedAt: string;
  expiresAt: string;
  redeemedAt: string | null;
}

/** A resident's voucher as read for its view: the row with its campaign, round and voucher type joined. */
export type OwnedVoucher = Pick<Voucher, 'publicId' | 'faceValueFen' | 'thresholdFen' | 'claimedAt' | 'expiresAt' | 'redeemedAt'> & {
  campaign: Pick<Campaign, 'publicId' | 'name' | 'categories' | 'districts'>;
  round: Pick<Round, 'publicId'> & { voucherType: Pick<VoucherType, 'name'> };
};

/** `status` is the one its owner sees (SHOWN_VOUCHER_STATUS in resident-vouchers), not the row's. */
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
