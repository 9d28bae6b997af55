import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** The ID number on the card the resident shows, as the official types it. */
export class LookUpResidentDto {
  @ApiProperty({
    description: 'The 18-character ID number, read as real-name verification reads it (a lowercase x is taken); never stored or logged, only its keyed hash is compared',
    example: '330203199001011236',
  })
  // Any string is read by checkIdNumber, so every unreadable number gets its own ID_NUMBER_* code.
  @IsString()
  idNumber: string;
}

/** The resident's new number, to send a number-change code to. */
export class DeskSendCodeDto {
  @ApiProperty({
    description: 'The new mainland mobile number; spaces, dashes and a +86 / 0086 / 86 prefix are accepted',
    example: '+86 139 0000 0002',
  })
  @IsString()
  phone: string;
}

export const REASON_MAX_LENGTH = 200;

/** The move: the new number, the code the resident reads off it, and why. */
export class DeskMoveDto {
  @ApiProperty({ description: 'The new number, in any spelling the send request accepts', example: '13900000002' })
  @IsString()
  phone: string;

  @ApiProperty({ description: 'The six-digit code sent to the new number for this change, read off the resident\'s new phone', example: '042917', pattern: '^\\d{6}$' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code: string;

  @ApiProperty({
    description: `Why, for the audit log (1-${REASON_MAX_LENGTH} characters, trimmed; not blank)`,
    example: '持身份证到服务点办理，原号码已停用',
    minLength: 1,
    maxLength: REASON_MAX_LENGTH,
  })
  @IsString()
  @Length(1, REASON_MAX_LENGTH)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}
