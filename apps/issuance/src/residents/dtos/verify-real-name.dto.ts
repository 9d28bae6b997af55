import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString } from 'class-validator';

/**
 * Only the type is checked here: the rules for names and ID numbers live in real-name.ts and
 * id-number.ts, so each refusal gets its own code rather than a generic validation failure.
 */
export class VerifyRealNameDto {
  @ApiProperty({ description: 'Legal name as on the ID card: 2-64 characters, no digits', example: '张三' })
  @IsString()
  name: string;

  @ApiProperty({
    description: '18-character resident ID number (GB 11643); a lowercase x is accepted. Never stored in clear.',
    example: '11010519491231002X',
  })
  @IsString()
  idNumber: string;

  @ApiProperty({
    required: true,
    description:
      'The resident agrees that the platform handles their name and ID number (sensitive personal information) for this verification; anything but true: 400 SENSITIVE_CONSENT_REQUIRED, and nothing is read. Recorded with the verification.',
    example: true,
  })
  @IsOptional()
  @IsBoolean()
  sensitiveConsent?: boolean;
}
