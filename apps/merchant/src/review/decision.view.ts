import { ApiProperty } from '@nestjs/swagger';
import { MERCHANT_STATUSES } from './merchant-states';

export class DecisionView {
  @ApiProperty({ description: 'Public id of the merchant' })
  merchantId: string;

  @ApiProperty({ enum: MERCHANT_STATUSES })
  from: string;

  @ApiProperty({ enum: MERCHANT_STATUSES })
  to: string;

  @ApiProperty()
  reason: string;

  @ApiProperty({ description: 'Public id of the official who decided' })
  decidedBy: string;

  @ApiProperty({ type: String, format: 'date-time' })
  decidedAt: Date;
}
