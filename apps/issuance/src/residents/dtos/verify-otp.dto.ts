import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class VerifyOtpDto {
  @ApiProperty({ description: 'The number the code was sent to, in any spelling POST /v1/auth/otp accepts', example: '13800000001' })
  @IsString()
  phone: string;

  @ApiProperty({ description: 'The six-digit one-time code', example: '042917', pattern: '^\\d{6}$' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code: string;
}
