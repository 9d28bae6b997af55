import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { IsDateTimeWithOffset, Omittable } from '@vouchers/common';
import { Decision, DECISIONS } from './merchant-states';

export class DecisionDto {
  @ApiProperty({
    enum: DECISIONS,
    description: 'pending → approved | rejected, approved → suspended, suspended → approved',
  })
  @IsIn(DECISIONS)
  to: Decision;

  @ApiProperty({ description: 'Why, for the merchant and the audit log (1-500 characters)', example: '证照齐全，核验通过' })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;

  @IsDateTimeWithOffset({
    description:
      "The merchant record's updatedAt as the official read it (GET /v1/merchants/:merchantId): if the merchant changed since " +
      '(a pending shop changing its payout account, say), 409 MERCHANT_CHANGED and nothing is done. Leave it out to decide on the merchant as it is',
    example: '2026-12-07T05:12:30.123Z',
    required: false,
  })
  @Omittable()
  seenUpdatedAt?: string;
}
