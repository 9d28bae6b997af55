import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessDate, PageQueryDto } from '@vouchers/common';
import { IsOptional } from 'class-validator';

/** A page of the merchant's books, optionally of one business day. */
export class DayPageQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-27' })
  @IsOptional()
  @IsBusinessDate()
  date?: string;
}
