import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** The body of refresh and logout: the opaque refresh token from sign-in or the last refresh. */
export class RefreshTokenDto {
  @ApiProperty({
    description: 'Opaque refresh token (32 random bytes, base64url); each may be used once',
    example: 'q3V0Y2hlcnMtYXJlLW5vdC1hLXJlYWwtdG9rZW4tMDA',
    pattern: '^[A-Za-z0-9_-]{43}$',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'refreshToken is not one this server issued' })
  refreshToken: string;
}
