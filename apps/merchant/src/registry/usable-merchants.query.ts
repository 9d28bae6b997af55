import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORIES, DISTRICT_CODES, IsPublicId, PageQueryDto } from '@vouchers/common';
import { Type } from 'class-transformer';
import { IsIn, IsLatitude, IsLongitude, IsOptional } from 'class-validator';

export class UsableMerchantsQuery extends PageQueryDto {
  @ApiProperty({ description: 'The campaign whose vouchers the resident holds', format: 'uuid', example: '0196b8f2-7c1e-7a3d-9f00-2b4c6d8e0a1f' })
  @IsPublicId()
  campaignId: string;

  @ApiPropertyOptional({ enum: DISTRICT_CODES })
  @IsOptional()
  @IsIn(DISTRICT_CODES)
  district?: string;

  @ApiPropertyOptional({ enum: CATEGORIES })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: string;

  @ApiPropertyOptional({ description: "The resident's latitude: nearest first (with lng)", example: 29.8683 })
  @IsOptional()
  @Type(() => Number)
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional({ description: "The resident's longitude", example: 121.544 })
  @IsOptional()
  @Type(() => Number)
  @IsLongitude()
  lng?: number;
}
