import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsPublicId, Omittable } from '@vouchers/common';
import { VerifyOtpDto } from '@vouchers/otp';

export class StaffSignInDto extends VerifyOtpDto {
  @ApiPropertyOptional({
    description: 'Which merchant to sign in to, when the number is on the staff of several (see MERCHANT_CHOICE_REQUIRED)',
  })
  @Omittable()
  @IsPublicId()
  merchantId?: string;
}
