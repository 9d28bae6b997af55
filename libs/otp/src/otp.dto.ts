import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** Body of a request for a one-time code, for every audience. */
export class SendOtpDto {
  @ApiProperty({
    description: 'Mainland mobile number; spaces, dashes and a +86 / 0086 / 86 prefix are accepted',
    example: '+86 138 0000 0001',
  })
  // Any string is read by requirePhone, so every unreadable number gets INVALID_PHONE.
  @IsString()
  phone: string;
}

/** Body of a sign-in with a one-time code; audiences extend it with what else they need. */
export class VerifyOtpDto {
  @ApiProperty({ description: 'The number the code was sent to, in any spelling the send request accepts', example: '13800000001' })
  @IsString()
  phone: string;

  @ApiProperty({ description: 'The six-digit one-time code', example: '042917', pattern: '^\\d{6}$' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code: string;
}
