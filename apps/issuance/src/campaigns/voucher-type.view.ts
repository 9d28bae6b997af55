import { ApiProperty } from '@nestjs/swagger';
import { Fen } from '@vouchers/common';

/** What residents and officials both read of a voucher type; each view adds its own rounds. */
export class VoucherTypeFields {
  @ApiProperty({ description: 'Public id of the voucher type', format: 'uuid' })
  id: string;

  @ApiProperty({ example: '满100减30' })
  name: string;

  @ApiProperty({ type: 'integer', example: 3000, description: 'Discount in fen' })
  faceValueFen: Fen;

  @ApiProperty({ type: 'integer', example: 10000, description: 'Least order amount in fen' })
  thresholdFen: Fen;
}
