import { ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORIES, DISTRICT_CODES, PageQueryDto } from '@vouchers/common';
import { IsIn, IsOptional } from 'class-validator';

export class ListCampaignsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: DISTRICT_CODES, description: 'Only campaigns usable in this district' })
  @IsOptional()
  @IsIn(DISTRICT_CODES)
  district?: string;

  @ApiPropertyOptional({ enum: CATEGORIES, description: 'Only campaigns covering this category' })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: string;
}
