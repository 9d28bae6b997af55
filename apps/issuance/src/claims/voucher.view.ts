import { Fen } from '@vouchers/common';

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

export interface VoucherRow {
  public_id: string;
  campaign_id: string;
  campaign_name: string;
  round_id: string;
  voucher_type_name: string;
  face_value_fen: string;
  threshold_fen: string;
  categories: string[];
  districts: string[];
  status: string;
  claimed_at: Date;
  expires_at: Date;
  redeemed_at: Date | null;
}

/**
 * A voucher's status as its owner sees it: a claimed one past its expiry is expired, whether or
 * not anything has marked the row yet (the till refuses it all the same).
 */
export const VOUCHER_STATUS = `(CASE WHEN v.status = 'claimed' AND v.expires_at <= now() THEN 'expired' ELSE v.status END)`;

/** The SELECT list and joins that produce a VoucherRow; callers add WHERE, ORDER and LIMIT. */
export const VOUCHER_SELECT = `
  SELECT v.public_id, c.public_id AS campaign_id, c.name AS campaign_name, r.public_id AS round_id,
         t.name AS voucher_type_name, v.face_value_fen, v.threshold_fen, c.categories, c.districts,
         ${VOUCHER_STATUS} AS status, v.claimed_at, v.expires_at, v.redeemed_at
    FROM vouchers v
    JOIN residents res ON res.id = v.resident_id
    JOIN campaigns c ON c.id = v.campaign_id
    JOIN rounds r ON r.id = v.round_id
    JOIN voucher_types t ON t.id = r.voucher_type_id`;

export function toVoucherView(row: VoucherRow): VoucherView {
  return {
    id: row.public_id,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    roundId: row.round_id,
    voucherTypeName: row.voucher_type_name,
    faceValueFen: Number(row.face_value_fen),
    thresholdFen: Number(row.threshold_fen),
    categories: row.categories,
    districts: row.districts,
    status: row.status,
    claimedAt: row.claimed_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    redeemedAt: row.redeemed_at ? row.redeemed_at.toISOString() : null,
  };
}
