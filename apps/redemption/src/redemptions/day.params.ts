import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate } from '@vouchers/common';

export class DayParams {
  @ApiProperty({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-27' })
  @IsBusinessDate()
  date: string;
}
