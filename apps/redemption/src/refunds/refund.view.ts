import { ApiProperty } from '@nestjs/swagger';
import { Fen } from '@vouchers/common';
import { Refund } from '@vouchers/database';

export class RefundView {
  @ApiProperty({ description: 'Public id of the refund', format: 'uuid' })
  refundId: string;

  @ApiProperty({ format: 'uuid' })
  redemptionId: string;

  @ApiProperty({ example: 'RF-20261127-0007' })
  merchantRefundNo: string;

  @ApiProperty({ type: 'integer', example: 2000, description: 'Value of the goods returned, in fen of the order amount' })
  refundAmountFen: Fen;

  @ApiProperty({ type: 'integer', example: 2000, description: 'What goes back to the customer, in fen' })
  customerRefundFen: Fen;

  @ApiProperty({ type: 'integer', example: 0, description: 'The subsidy taken back by this refund (0 when the discount stands), in fen' })
  discountReversedFen: Fen;

  @ApiProperty({ description: 'The subsidy had already been paid to the merchant: it is netted from the next settlement' })
  clawback: boolean;

  @ApiProperty({ format: 'date-time' })
  refundedAt: string;

  @ApiProperty({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-27' })
  businessDate: string;
}

/**
 * A refund as the till and the merchant's listing read it: the Refund entity's columns, its
 * redemption's public id, and whether it became a clawback (the subsidy was already paid).
 */
export type RefundRow = Pick<
  Refund,
  'publicId' | 'redemptionId' | 'merchantRefundNo' | 'refundAmountFen' | 'customerRefundFen' | 'discountReversedFen' | 'refundedAt' | 'businessDate'
> & { redemptionPublicId: string; clawback: boolean };

export function refundView(row: RefundRow): RefundView {
  return {
    refundId: row.publicId,
    redemptionId: row.redemptionPublicId,
    merchantRefundNo: row.merchantRefundNo,
    refundAmountFen: row.refundAmountFen,
    customerRefundFen: row.customerRefundFen,
    discountReversedFen: row.discountReversedFen,
    clawback: row.clawback,
    refundedAt: new Date(row.refundedAt).toISOString(),
    businessDate: row.businessDate,
  };
}
