import { ApiPropertyOptional } from '@nestjs/swagger';
import { VerifyOtpDto } from '@vouchers/otp';
import { IsOptional, IsUUID } from 'class-validator';

export class StaffSignInDto extends VerifyOtpDto {
  @ApiPropertyOptional({
    description: 'Which merchant to sign in to, when the number is on the staff of several (see MERCHANT_CHOICE_REQUIRED)',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}
