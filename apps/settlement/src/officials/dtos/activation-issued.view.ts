import { ApiProperty } from '@nestjs/swagger';
import { OfficialView } from './official.view';

/** A new, reset or re-enabled account and the code that activates it: shown this once, to hand to its holder. */
export class ActivationIssuedView {
  @ApiProperty({ type: OfficialView })
  official: OfficialView;

  @ApiProperty({ description: 'One-time activation code for POST /v1/official-auth/activation', example: '7K2M-Q9XD-4HTV-B1RN' })
  activationCode: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'The code works until then (72 hours)' })
  activationExpiresAt: Date;
}
