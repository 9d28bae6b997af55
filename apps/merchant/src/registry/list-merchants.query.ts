import { ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORIES, DISTRICT_CODES, PageQueryDto } from '@vouchers/common';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export const MERCHANT_STATUSES = ['pending', 'approved', 'rejected', 'suspended'] as const;

export class ListMerchantsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: DISTRICT_CODES })
  @IsOptional()
  @IsIn(DISTRICT_CODES)
  district?: string;

  @ApiPropertyOptional({ enum: CATEGORIES })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: string;

  @ApiPropertyOptional({ enum: MERCHANT_STATUSES })
  @IsOptional()
  @IsIn(MERCHANT_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Shops whose name starts with this', example: '甬城' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  namePrefix?: string;
}
