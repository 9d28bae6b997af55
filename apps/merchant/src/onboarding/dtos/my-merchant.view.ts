import { ApiProperty } from '@nestjs/swagger';
import { MerchantView } from './merchant.view';

/** The caller's own merchant: as its staff see it, and why an official rejected or suspended it. */
export class MyMerchantView extends MerchantView {
  @ApiProperty({ type: String, nullable: true, description: "Rejected or suspended: the official's reason for it (null otherwise)" })
  decisionReason: string | null;
}
