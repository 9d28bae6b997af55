import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DISTRICT_CODES, Omittable } from '@vouchers/common';
import { ACCOUNT_ROLES, AccountRole } from '@vouchers/officials';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CreateOfficialDto {
  @ApiProperty({ description: 'Mobile number, the sign-in name (one account per number)', example: '13900000011' })
  @IsString()
  @MaxLength(32)
  phone: string;

  @ApiProperty({ example: '市商务局 李' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(64)
  name: string;

  @ApiProperty({ enum: ACCOUNT_ROLES })
  @IsIn(ACCOUNT_ROLES)
  role: AccountRole;

  @ApiPropertyOptional({
    enum: DISTRICT_CODES,
    nullable: true,
    description: 'Limit the account to one district; absent or null: city-wide (administrators always are)',
  })
  @IsOptional()
  @IsIn(DISTRICT_CODES)
  district?: string | null;
}

/**
 * Only what is sent changes, and something must be sent (NOTHING_TO_CHANGE, as a merchant's own
 * profile answers); district null makes the account city-wide. A name or role may be
 * left out but not sent as null (Omittable): IsOptional let a null through, and the use case
 * took it for "unchanged" and answered 200, where /docs says a string.
 */
export class ChangeOfficialDto {
  @ApiPropertyOptional({ example: '市商务局 李' })
  @Omittable()
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(64)
  name?: string;

  @ApiPropertyOptional({ enum: ACCOUNT_ROLES })
  @Omittable()
  @IsIn(ACCOUNT_ROLES)
  role?: AccountRole;

  @ApiPropertyOptional({ enum: DISTRICT_CODES, nullable: true, description: 'A district, or null for city-wide' })
  @IsOptional()
  @IsIn(DISTRICT_CODES)
  district?: string | null;
}
