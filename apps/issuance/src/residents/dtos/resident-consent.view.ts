import { ApiProperty } from '@nestjs/swagger';

export class ResidentConsentView {
  @ApiProperty({ enum: ['privacy_notice', 'sensitive_real_name'], description: 'privacy_notice: agreed at sign-in; sensitive_real_name: agreed at real-name verification' })
  kind: string;

  @ApiProperty({ description: 'The privacy notice version it was given under', example: '2026-12-07' })
  version: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'When it was first given under that version' })
  givenAt: string;
}

export class ResidentConsentsView {
  @ApiProperty({ type: [ResidentConsentView], description: 'Oldest first' })
  items: ResidentConsentView[];

  @ApiProperty({ description: 'The version of the privacy notice now in force', example: '2026-12-07' })
  currentVersion: string;
}
