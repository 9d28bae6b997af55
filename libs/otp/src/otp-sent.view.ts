import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The answer to asking for a code, the same for every audience. */
export class OtpSentView {
  @ApiProperty({ description: 'The number the code went to, masked', example: '138****0001' })
  sentTo: string;

  @ApiProperty({ example: 300 })
  expiresInSeconds: number;

  @ApiPropertyOptional({ description: 'Development and test only (devOtpEcho): the code itself', example: '042917' })
  devCode?: string;
}
