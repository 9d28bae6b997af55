import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@vouchers/common';
import { IsIn, IsOptional } from 'class-validator';

export const BATCH_STATUSES = ['building', 'pending_approval', 'submitted', 'approved', 'paying', 'paid', 'partly_failed'] as const;

export class ListBatchesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: BATCH_STATUSES })
  @IsOptional()
  @IsIn(BATCH_STATUSES)
  status?: string;
}
