import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsPublicId } from '@vouchers/common';
import { VerifyOtpDto } from '@vouchers/otp';
import { IsOptional } from 'class-validator';

export class StaffSignInDto extends VerifyOtpDto {
  @ApiPropertyOptional({
    description: 'Which merchant to sign in to, when the number is on the staff of several (see MERCHANT_CHOICE_REQUIRED)',
  })
  @IsOptional()
  @IsPublicId()
  merchantId?: string;
}
