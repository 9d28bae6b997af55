import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';

/** The closing code sent to the account's own number, and whether unused vouchers are given up. */
export class CloseAccountDto {
  @ApiProperty({ description: 'The six-digit code sent to your number for this closing (a sign-in code is not taken)', example: '042917', pattern: '^\\d{6}$' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code: string;

  @ApiPropertyOptional({
    description:
      'Close even though the account holds unused vouchers: they can no longer be shown or used, and go back to the pool when they expire (unless you verify again first). Without it such an account is refused 409 UNUSED_VOUCHERS.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  giveUpVouchers?: boolean;
}
