import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

const TOTP = { description: 'The six-digit code the authenticator app shows now (each code is accepted once)', example: '042917', pattern: '^\\d{6}$' };
const PASSWORD_HINT = 'At least 12 characters, not a common password, not containing your phone number, hard to guess (a few unrelated words)';

/** Sign-in: the phone is the name; password and TOTP both needed. */
export class OfficialSignInDto {
  @ApiProperty({ description: 'Your mobile number, in any usual spelling', example: '13900000001' })
  @IsString()
  @MaxLength(32)
  phone: string;

  @ApiProperty({ example: 'copper kettle orbit 19 sage' })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiProperty(TOTP)
  @IsString()
  @Matches(/^\d{6}$/, { message: 'totpCode must be six digits' })
  totpCode: string;
}

/** Activation, first step: the code from the administrator (or the command) and the password you choose. */
export class ActivationDto {
  @ApiProperty({ description: 'Your mobile number, in any usual spelling', example: '13900000001' })
  @IsString()
  @MaxLength(32)
  phone: string;

  @ApiProperty({ description: 'The activation code you were given (case, dashes and spaces do not matter)', example: '7K2M-Q9XD-4HTV-B1RN' })
  @IsString()
  @MaxLength(64)
  activationCode: string;

  @ApiProperty({ description: PASSWORD_HINT, example: 'copper kettle orbit 19 sage' })
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}

/** Activation, second step: a code from the authenticator just enrolled proves it works. */
export class ActivationConfirmDto {
  @ApiProperty({ description: 'Your mobile number, in any usual spelling', example: '13900000001' })
  @IsString()
  @MaxLength(32)
  phone: string;

  @ApiProperty({ description: 'The same activation code', example: '7K2M-Q9XD-4HTV-B1RN' })
  @IsString()
  @MaxLength(64)
  activationCode: string;

  @ApiProperty(TOTP)
  @IsString()
  @Matches(/^\d{6}$/, { message: 'totpCode must be six digits' })
  totpCode: string;
}

/** A signed-in official changes their password: the old one and a TOTP code prove it is them. */
export class ChangePasswordDto {
  @ApiProperty({ example: 'copper kettle orbit 19 sage' })
  @IsString()
  @MaxLength(1024)
  currentPassword: string;

  @ApiProperty({ description: PASSWORD_HINT, example: 'lantern ferry gull 47 basalt' })
  @IsString()
  @MaxLength(1024)
  newPassword: string;

  @ApiProperty(TOTP)
  @IsString()
  @Matches(/^\d{6}$/, { message: 'totpCode must be six digits' })
  totpCode: string;
}
