import { ApiProperty } from '@nestjs/swagger';
import { Fen } from '@vouchers/common';
import { Redemption } from '@vouchers/database';

/** A redemption's statuses (the Redemption entity's column): refunds move it on from completed. */
const REDEMPTION_STATUSES = ['completed', 'partly_refunded', 'reversed', 'refunded'];

/** What the till shows once a voucher is applied. */
export class RedemptionView {
  @ApiProperty({ description: 'Public id of the redemption', format: 'uuid' })
  redemptionId: string;

  @ApiProperty({ format: 'uuid' })
  voucherId: string;

  @ApiProperty({ example: 'POS-20261127-0042' })
  merchantOrderNo: string;

  @ApiProperty({ type: 'integer', example: 12800, description: 'The order amount before the discount, in fen' })
  orderAmountFen: Fen;

  @ApiProperty({ type: 'integer', example: 3000, description: "The voucher's face value: what the customer does not pay, in fen" })
  discountFen: Fen;

  @ApiProperty({ type: 'integer', example: 9800, description: 'What the customer pays: orderAmountFen - discountFen' })
  payableFen: Fen;

  @ApiProperty({ enum: REDEMPTION_STATUSES, description: 'Now: refunds change it' })
  status: string;

  @ApiProperty({ format: 'date-time' })
  redeemedAt: string;

  @ApiProperty({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-27' })
  businessDate: string;
}

/**
 * A redemption as the till and the merchant's listing read it: the Redemption entity's columns
 * and its voucher's public id. REDEEM_BATCH hands it back as JSON, with the time as text.
 */
export type RedemptionRow = Pick<
  Redemption,
  'publicId' | 'merchantOrderNo' | 'orderAmountFen' | 'discountFen' | 'status' | 'businessDate' | 'codeDigest'
> & { voucherPublicId: string; redeemedAt: Date | string };

export function redemptionView(row: RedemptionRow): RedemptionView {
  return {
    redemptionId: row.publicId,
    voucherId: row.voucherPublicId,
    merchantOrderNo: row.merchantOrderNo,
    orderAmountFen: row.orderAmountFen,
    discountFen: row.discountFen,
    payableFen: row.orderAmountFen - row.discountFen,
    status: row.status,
    redeemedAt: new Date(row.redeemedAt).toISOString(),
    businessDate: row.businessDate,
  };
}
