import { ApiProperty } from '@nestjs/swagger';
import { OfficialView } from '../../officials/dtos/official.view';

export class OfficialSessionView {
  @ApiProperty({
    description: 'Bearer token (JWT) for every app, carrying your role and district; short-lived: trade the refresh token for a new one',
  })
  accessToken: string;

  @ApiProperty({ description: 'Lifetime of the access token', example: 900 })
  expiresInSeconds: number;

  @ApiProperty({
    description: 'Opaque token for POST /v1/official-auth/refresh; single use, rotated on each refresh',
    example: 'q3V0Y2hlcnMtYXJlLW5vdC1hLXJlYWwtdG9rZW4tMDA',
  })
  refreshToken: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When the session ends (officialSessionTtlSeconds after sign-in): refreshing does not extend it',
  })
  sessionExpiresAt: Date;

  @ApiProperty({ type: OfficialView })
  official: OfficialView;
}
