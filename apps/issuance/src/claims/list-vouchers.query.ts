import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@vouchers/common';
import { IsIn, IsOptional } from 'class-validator';

export const VOUCHER_STATUSES = ['claimed', 'redeemed', 'expired'] as const;

export class ListVouchersQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: VOUCHER_STATUSES })
  @IsOptional()
  @IsIn(VOUCHER_STATUSES)
  status?: string;
}
