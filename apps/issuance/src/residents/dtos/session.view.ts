import { ApiProperty } from '@nestjs/swagger';
import { maskPhone } from '@vouchers/otp';
import { ResidentAccount } from '../resident-lookup';

export class ResidentSummaryView {
  @ApiProperty({ description: 'Public id of the resident', example: '0196b8f2-7c1e-7a3d-9f00-2b4c6d8e0a1f' })
  id: string;

  @ApiProperty({ description: 'Masked phone number', example: '138****0001' })
  phone: string;

  @ApiProperty({ description: 'Real-name verified; only verified residents may grab vouchers' })
  verified: boolean;
}

export class SessionView {
  @ApiProperty({ description: 'Bearer token (JWT) for the APIs' })
  accessToken: string;

  @ApiProperty({ description: 'Opaque token for POST /v1/auth/refresh; single use, rotated on each refresh' })
  refreshToken: string;

  @ApiProperty({ description: 'Lifetime of the access token', example: 900 })
  expiresInSeconds: number;

  @ApiProperty({ type: ResidentSummaryView })
  resident: ResidentSummaryView;
}

export function residentSummaryOf(resident: ResidentAccount): ResidentSummaryView {
  return { id: resident.publicId, phone: maskPhone(resident.phone), verified: resident.verifiedAt !== null };
}
