import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** The most one order may be, in fen (1,000,000 yuan): guards against a mistyped amount. */
export const MAX_ORDER_FEN = 100_000_000;
export const ORDER_NO = /^[A-Za-z0-9_.:-]{1,64}$/;

export class RedeemDto {
  @ApiProperty({ description: "The resident's checkout code, as scanned", example: 'V1AQGV86J7HH0AimThIrPE1ebw...' })
  @IsString()
  @MaxLength(200)
  code: string;

  @ApiProperty({ description: 'The order amount before the discount, in fen', example: 12800 })
  @IsInt()
  @Min(1)
  @Max(MAX_ORDER_FEN)
  orderAmountFen: number;

  @ApiProperty({ description: "The merchant's own order number: 1-64 of A-Z a-z 0-9 _ . : -", example: 'POS7-20261127-0042' })
  @IsString()
  @Matches(ORDER_NO, { message: 'merchantOrderNo must be 1-64 of A-Z a-z 0-9 _ . : -' })
  merchantOrderNo: string;
}
