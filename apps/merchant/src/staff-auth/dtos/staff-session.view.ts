import { ApiProperty } from '@nestjs/swagger';
import { MERCHANT_STATUSES } from '../../review/merchant-states';
import { StaffView } from '../../staff/dtos/staff.view';

export class SignedInMerchantView {
  @ApiProperty({ description: 'Public id of the merchant' })
  id: string;

  @ApiProperty({ example: '示例小馆' })
  shopName: string;

  @ApiProperty({ enum: MERCHANT_STATUSES })
  status: string;
}

export class StaffSessionView {
  @ApiProperty({
    description: 'Bearer token (JWT) scoped to this merchant. Short-lived and not refreshable: sign in again by code when it expires',
  })
  accessToken: string;

  @ApiProperty({ example: 900 })
  expiresInSeconds: number;

  @ApiProperty({ type: StaffView })
  staff: StaffView;

  @ApiProperty({ type: SignedInMerchantView })
  merchant: SignedInMerchantView;
}
