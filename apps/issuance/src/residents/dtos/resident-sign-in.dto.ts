import { ApiProperty } from '@nestjs/swagger';
import { VerifyOtpDto } from '@vouchers/otp';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** A resident's sign-in: the number, its code, and the version of the privacy notice agreed to. */
export class ResidentSignInDto extends VerifyOtpDto {
  @ApiProperty({
    required: true,
    description:
      'The version of the privacy notice the resident read and agreed to on the sign-in page (the current one: 2026-12-07). Missing: 400 PRIVACY_CONSENT_REQUIRED; another version: 409 PRIVACY_NOTICE_OUTDATED. Recorded with the sign-in.',
    example: '2026-12-07',
  })
  // Optional to the validator so that a missing consent gets its own code (PRIVACY_CONSENT_REQUIRED), not a generic one.
  @IsOptional()
  @IsString()
  @MaxLength(32)
  privacyNotice?: string;
}
