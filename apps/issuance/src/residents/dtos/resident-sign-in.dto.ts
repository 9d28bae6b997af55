import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { SendOtpDto, VerifyOtpDto } from '@vouchers/otp';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The version of the privacy notice agreed to, as the code's send, the sign-in and a later agreement (AgreeToNoticeDto) each carry it. */
export function PrivacyNoticeAgreedTo(when: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      required: true,
      description:
        'The version of the privacy notice the resident read and agreed to (the current one: 2026-12-07). ' +
        `Missing: 400 PRIVACY_CONSENT_REQUIRED; another version: 409 PRIVACY_NOTICE_OUTDATED. ${when}`,
      example: '2026-12-07',
    }),
    // Optional to the validator so that a missing consent gets its own code (PRIVACY_CONSENT_REQUIRED), not a generic one.
    IsOptional(),
    IsString(),
    MaxLength(32),
  );
}

/** A resident asks for a sign-in code: the number, and the notice agreed to before the number is used at all. */
export class ResidentSendCodeDto extends SendOtpDto {
  @PrivacyNoticeAgreedTo('Checked before anything is sent or counted.')
  privacyNotice?: string;
}

/** A resident's sign-in: the number, its code, and the version of the privacy notice agreed to. */
export class ResidentSignInDto extends VerifyOtpDto {
  @PrivacyNoticeAgreedTo('Recorded with the sign-in.')
  privacyNotice?: string;
}
