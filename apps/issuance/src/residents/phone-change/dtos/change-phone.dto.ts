import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** The new number to send a number-change code to. */
export class SendPhoneChangeCodeDto {
  @ApiProperty({
    description: 'The new mainland mobile number; spaces, dashes and a +86 / 0086 / 86 prefix are accepted',
    example: '+86 139 0000 0002',
  })
  // Any string is read by requirePhone, so every unreadable number gets INVALID_PHONE.
  @IsString()
  phone: string;
}

/** The new number and the code sent to it. */
export class ChangePhoneDto {
  @ApiProperty({ description: 'The new number, in any spelling the send request accepts', example: '13900000002' })
  @IsString()
  phone: string;

  @ApiProperty({ description: 'The six-digit code sent to the new number for this change (a sign-in code is not taken)', example: '042917', pattern: '^\\d{6}$' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code: string;
}
