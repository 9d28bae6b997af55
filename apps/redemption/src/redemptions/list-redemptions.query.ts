import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@vouchers/common';
import { IsISO8601, IsOptional } from 'class-validator';

export class ListRedemptionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-27' })
  @IsOptional()
  @IsISO8601({ strict: true })
  date?: string;
}
