import { ApiPropertyOptional } from '@nestjs/swagger';
import { DISTRICT_CODES, PageQueryDto } from '@vouchers/common';
import { ACCOUNT_ROLES, ACCOUNT_STATUSES, AccountRole, AccountStatus } from '@vouchers/officials';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** The district filter's word for accounts with no district (the audit log names the city so too). */
export const CITY_WIDE = 'city';
const DISTRICT_FILTERS = [...DISTRICT_CODES, CITY_WIDE];

export class ListOfficialsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ACCOUNT_ROLES })
  @IsOptional()
  @IsIn(ACCOUNT_ROLES)
  role?: AccountRole;

  @ApiPropertyOptional({ enum: DISTRICT_FILTERS, description: `A district's accounts, or ${CITY_WIDE}: the city-wide ones` })
  @IsOptional()
  @IsIn(DISTRICT_FILTERS)
  district?: string;

  @ApiPropertyOptional({ enum: ACCOUNT_STATUSES })
  @IsOptional()
  @IsIn(ACCOUNT_STATUSES)
  status?: AccountStatus;

  @ApiPropertyOptional({
    description: 'The account of this whole mobile number (no prefixes: the list shows numbers masked, and a prefix search would unmask them)',
    example: '13900000011',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;
}
