import { ApiProperty } from '@nestjs/swagger';
import { DISTRICT_CODES } from '@vouchers/common';
import { BankAccountChange, BankAccountChangeStatus } from './bank-accounts';

export const CHANGE_STATUSES: readonly BankAccountChangeStatus[] = ['pending', 'approved', 'rejected', 'withdrawn'];

/** A bank account as anyone but the payout file sees it: the number masked. */
export class MaskedBankAccountView {
  @ApiProperty({ type: String, nullable: true, example: '宁波示例餐饮有限公司' })
  bankAccountName: string | null;

  @ApiProperty({ type: String, nullable: true, example: '中国工商银行宁波分行' })
  bankName: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'First and last four digits only', example: '6222 **** **** 0123' })
  bankAccountMasked: string | null;
}

/** A merchant's own view of its request for a new account. */
export class BankAccountChangeView {
  @ApiProperty({ description: 'Public id of the change' })
  id: string;

  @ApiProperty({ enum: CHANGE_STATUSES, description: 'pending: awaiting an official; payouts go to the current account until it is approved' })
  status: BankAccountChangeStatus;

  @ApiProperty({ type: MaskedBankAccountView, description: 'The account asked for' })
  requested: MaskedBankAccountView;

  @ApiProperty({ description: 'Public id of the merchant admin who asked' })
  requestedBy: string;

  @ApiProperty({ type: String, format: 'date-time' })
  requestedAt: Date;
}

export function bankAccountChangeViewOf(change: BankAccountChange): BankAccountChangeView {
  return {
    id: change.publicId,
    // The table's check constraint admits these statuses only.
    status: change.status as BankAccountChangeStatus,
    requested: { bankAccountName: change.bankAccountName, bankName: change.bankName, bankAccountMasked: change.bankAccountMasked },
    requestedBy: change.requestedBy,
    requestedAt: change.requestedAt,
  };
}

/** A merchant's request an official decided, as the merchant reads it: what became of it, when and why. */
export class DecidedBankAccountChangeView extends BankAccountChangeView {
  @ApiProperty({ type: String, format: 'date-time' })
  decidedAt: Date;

  @ApiProperty({ description: "The official's reason", example: '开户许可证照片模糊，请重新提交' })
  reason: string;
}

export class ChangedMerchantView {
  @ApiProperty({ description: 'Public id of the merchant' })
  id: string;

  @ApiProperty({ example: '91330203MA2AB3CD1J' })
  creditCode: string;

  @ApiProperty({ example: '示例小馆' })
  shopName: string;

  @ApiProperty({ example: '宁波示例餐饮有限公司', description: "The name on the business licence: the account's holder should be it" })
  registeredName: string;

  @ApiProperty({ enum: DISTRICT_CODES })
  district: string;

  @ApiProperty({ example: 'approved' })
  status: string;
}

/** A change as officials review it: the merchant's current (approved) account and the one asked for, side by side, both masked. */
export class BankAccountChangeReviewView extends BankAccountChangeView {
  @ApiProperty({ type: ChangedMerchantView })
  merchant: ChangedMerchantView;

  @ApiProperty({ type: MaskedBankAccountView, description: "The merchant's approved account now: the one its payouts go to" })
  current: MaskedBankAccountView;

  @ApiProperty({ type: String, nullable: true, description: 'Public id of the official who decided (or the admin whose later request withdrew it)' })
  decidedBy: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;
}

/** An official's decision on a change. */
export class BankAccountChangeDecisionView {
  @ApiProperty({ description: 'Public id of the change' })
  id: string;

  @ApiProperty({ description: 'Public id of the merchant' })
  merchantId: string;

  @ApiProperty({ enum: ['approved', 'rejected'] })
  status: 'approved' | 'rejected';

  @ApiProperty({ type: MaskedBankAccountView, description: 'The account before the decision' })
  previous: MaskedBankAccountView;

  @ApiProperty({ type: MaskedBankAccountView, description: "The merchant's account after it: the requested one if approved, else unchanged" })
  current: MaskedBankAccountView;

  @ApiProperty()
  reason: string;

  @ApiProperty({ description: 'Public id of the official who decided' })
  decidedBy: string;

  @ApiProperty({ type: String, format: 'date-time' })
  decidedAt: Date;
}
