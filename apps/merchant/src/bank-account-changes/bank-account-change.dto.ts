import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DISTRICT_CODES, PageQueryDto } from '@vouchers/common';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CHANGE_STATUSES } from './bank-account-change.view';

export class ListBankAccountChangesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: CHANGE_STATUSES, default: 'pending', description: 'pending (the default): the changes awaiting a decision' })
  @IsOptional()
  @IsIn(CHANGE_STATUSES)
  status?: (typeof CHANGE_STATUSES)[number];

  @ApiPropertyOptional({ enum: DISTRICT_CODES, description: "A city-wide official's filter; a district official sees their own district only" })
  @IsOptional()
  @IsIn(DISTRICT_CODES)
  district?: string;
}

export const BANK_ACCOUNT_DECISIONS = ['approved', 'rejected'] as const;

export class BankAccountChangeDecisionDto {
  @ApiProperty({ enum: BANK_ACCOUNT_DECISIONS, description: 'approved: payouts go to the new account from the next settlement build; rejected: the current one stays' })
  @IsIn(BANK_ACCOUNT_DECISIONS)
  to: (typeof BANK_ACCOUNT_DECISIONS)[number];

  @ApiProperty({ description: 'Why, for the merchant and the audit log (1-500 characters)', example: '开户许可证与营业执照一致，核验通过' })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}
