import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
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
}
