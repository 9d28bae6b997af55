import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessDate, PageQueryDto } from '@vouchers/common';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export class StartBatchDto {
  @ApiProperty({ example: '2026-11-26', description: 'The business day (Asia/Shanghai) to settle: one that has ended, not before PROGRAM_START_DATE, at most SETTLEMENT_MAX_DAYS_BACK days back' })
  @IsBusinessDate()
  businessDate: string;
}

export class HoldLineDto {
  @ApiProperty({ example: 'Bank account under review', description: 'Why the line is not paid now' })
  @IsString()
  @Length(2, 200)
  reason: string;
}

export const LINE_STATUSES = ['pending', 'held', 'paid', 'failed'] as const;

export class ListLinesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: LINE_STATUSES })
  @IsOptional()
  @IsIn(LINE_STATUSES)
  status?: string;
}
