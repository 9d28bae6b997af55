import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessDate } from '@vouchers/common';
import { IsIn, IsOptional } from 'class-validator';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportFormatQuery {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'csv: the same report as a CSV download (so does Accept: text/csv)' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class ReconciliationRangeQuery extends ReportFormatQuery {
  @ApiProperty({ example: '2026-11-01', description: 'First business day (Asia/Shanghai), inclusive' })
  @IsBusinessDate()
  from: string;

  @ApiProperty({ example: '2026-11-30', description: 'Last business day (Asia/Shanghai), inclusive; at most 366 days after from, counting both' })
  @IsBusinessDate()
  to: string;
}
