import { ApiProperty } from '@nestjs/swagger';

export class DeskVoucherCountsView {
  @ApiProperty({ description: 'Claimed and still usable (not redeemed, not past their expiry)', example: 2 })
  unused: number;

  @ApiProperty({ description: 'Redeemed at a till', example: 1 })
  used: number;

  @ApiProperty({ description: 'Expired unused, or given back by a refund after expiry', example: 0 })
  expired: number;
}

/**
 * A verified resident as the service desk shows them: masked facts only, as the resident's own
 * profile shows them (never a whole number: the official compares them with the card and the
 * resident in front of them).
 */
export class ResidentAtDeskView {
  @ApiProperty({ description: "The resident's public id: the move names it", format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'The number the account is on now, masked', example: '138****0001' })
  phone: string;

  @ApiProperty({ description: 'The verified ID number, masked', example: '330203********1236' })
  idNumberMasked: string;

  @ApiProperty({ description: 'The verified legal name, masked as the resident sees it (the family name\'s first character)', example: '张*' })
  realName: string;

  @ApiProperty({ description: 'When the account was real-name verified', format: 'date-time' })
  verifiedAt: string;

  @ApiProperty({ type: DeskVoucherCountsView })
  vouchers: DeskVoucherCountsView;
}

export class DeskMovedView {
  @ApiProperty({ description: "The resident's public id", format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'The number the account left, masked', example: '138****0001' })
  from: string;

  @ApiProperty({ description: 'The number the account is on now, masked', example: '139****0002' })
  to: string;

  @ApiProperty({ description: 'Whether an empty account on the new number (signed in with the new SIM first) was retired to free it' })
  emptyAccountRetired: boolean;
}
