import { ApiProperty } from '@nestjs/swagger';
import { Fen } from '@vouchers/common';

export class DayRedemptionTotals {
  @ApiProperty({ type: 'integer', description: 'Redemptions made that day, whatever happened to them later', example: 42 })
  count: number;

  @ApiProperty({ type: 'integer', description: 'Sum of their order amounts before the discount, in fen', example: 1_260_000 })
  orderAmountFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Sum of their discounts (the subsidy), in fen', example: 126_000 })
  discountFen: Fen;
}

export class DayRefundTotals {
  @ApiProperty({ type: 'integer', description: 'Refunds made that day, of redemptions of any day', example: 3 })
  count: number;

  @ApiProperty({ type: 'integer', description: 'Goods value returned, in fen of the order amount', example: 50_000 })
  refundAmountFen: Fen;

  @ApiProperty({ type: 'integer', description: 'What went back to the customers, in fen', example: 44_000 })
  customerRefundFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Subsidy taken back, in fen', example: 6000 })
  discountReversedFen: Fen;

  @ApiProperty({ type: 'integer', description: 'The part of discountReversedFen already paid out, to be netted from the next settlement, in fen', example: 3000 })
  clawbackFen: Fen;
}

/** One business day of a merchant's books, all amounts integer fen. */
export class DayTotalsView {
  @ApiProperty({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-27' })
  date: string;

  @ApiProperty({ type: DayRedemptionTotals })
  redemptions: DayRedemptionTotals;

  @ApiProperty({ type: DayRefundTotals })
  refunds: DayRefundTotals;

  @ApiProperty({
    type: 'integer',
    description: 'redemptions.discountFen - refunds.discountReversedFen: negative when the refunds take back more than the day earned',
    example: 120_000,
  })
  netSubsidyFen: Fen;
}
