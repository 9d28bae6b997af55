import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';

export class StaffSignInDto {
  @ApiProperty({ description: 'The number the code was sent to, in any spelling POST /v1/merchant-auth/otp accepts', example: '13900000001' })
  @IsString()
  phone: string;

  @ApiProperty({ description: 'The six-digit one-time code', example: '042917', pattern: '^\\d{6}$' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code: string;

  @ApiPropertyOptional({
    description: 'Which merchant to sign in to, when the number is on the staff of several (see MERCHANT_CHOICE_REQUIRED)',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}
