import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

const REFUND_NO = /^[A-Za-z0-9_.:-]{1,64}$/;

export class RefundDto {
  @ApiProperty({ description: 'Value of the goods returned, in fen of the order amount', example: 2000 })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  refundAmountFen: number;

  @ApiProperty({ description: "The merchant's own refund number: 1-64 of A-Z a-z 0-9 _ . : -", example: 'RF-20261127-0007' })
  @IsString()
  @Matches(REFUND_NO, { message: 'merchantRefundNo must be 1-64 of A-Z a-z 0-9 _ . : -' })
  merchantRefundNo: string;
}
