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
  @ApiProperty({ description: 'Bearer token (JWT) scoped to this merchant; short-lived: trade the refresh token for a new one' })
  accessToken: string;

  @ApiProperty({ description: 'Lifetime of the access token', example: 900 })
  expiresInSeconds: number;

  @ApiProperty({
    description: 'Opaque token for POST /v1/merchant-auth/refresh; single use, rotated on each refresh',
    example: 'q3V0Y2hlcnMtYXJlLW5vdC1hLXJlYWwtdG9rZW4tMDA',
  })
  refreshToken: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When the session ends (a shift after sign-in): refreshing does not extend it; sign in again by code then',
  })
  sessionExpiresAt: Date;

  @ApiProperty({ type: StaffView })
  staff: StaffView;

  @ApiProperty({ type: SignedInMerchantView })
  merchant: SignedInMerchantView;
}
