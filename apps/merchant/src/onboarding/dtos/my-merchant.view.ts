import { ApiProperty } from '@nestjs/swagger';
import { DecidedBankAccountChangeView } from '../../bank-account-changes/bank-account-change.view';
import { MerchantView } from './merchant.view';

/** The caller's own merchant: as its staff see it, and why an official rejected or suspended it. */
export class MyMerchantView extends MerchantView {
  @ApiProperty({ type: String, nullable: true, description: "Rejected or suspended: the official's reason for it (null otherwise)" })
  decisionReason: string | null;

  @ApiProperty({
    type: DecidedBankAccountChangeView,
    nullable: true,
    description: "The latest new payout account an official approved or rejected, with the official's reason: how the shop learns what became of its request",
  })
  lastBankAccountDecision: DecidedBankAccountChangeView | null;
}
