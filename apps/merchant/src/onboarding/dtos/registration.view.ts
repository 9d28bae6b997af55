import { ApiProperty } from '@nestjs/swagger';
import { StaffView } from '../../staff/dtos/staff.view';
import { MerchantView } from './merchant.view';

export class RegistrationView {
  @ApiProperty({ description: "Bearer token (JWT) of the merchant's admin; short-lived, sign in again by code when it expires" })
  accessToken: string;

  @ApiProperty({ example: 900 })
  expiresInSeconds: number;

  @ApiProperty({ type: StaffView })
  staff: StaffView;

  @ApiProperty({ type: MerchantView, description: 'Pending until a commerce official approves it' })
  merchant: MerchantView;
}
