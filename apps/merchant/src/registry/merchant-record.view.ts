import { ApiProperty } from '@nestjs/swagger';
import { AuditEntry } from '@vouchers/database';
import { BankAccountChangeView } from '../bank-account-changes/bank-account-change.view';
import { MerchantView } from '../onboarding/dtos/merchant.view';
import { MERCHANT_STATUSES } from '../review/merchant-states';

export const REVIEW_STEPS = ['submitted', 'approved', 'rejected', 'suspended'] as const;

/** One step of a merchant's review, from the audit log: its registration, and each official's decision. */
export class MerchantReviewStepView {
  @ApiProperty({ enum: REVIEW_STEPS, description: 'submitted: the merchant registered itself; the others: an official decided' })
  step: (typeof REVIEW_STEPS)[number];

  @ApiProperty({ enum: MERCHANT_STATUSES, nullable: true, description: 'null for the registration' })
  from: string | null;

  @ApiProperty({ enum: MERCHANT_STATUSES })
  to: string;

  @ApiProperty({ type: String, nullable: true, description: "The official's reason (every decision has one)" })
  reason: string | null;

  @ApiProperty({ description: 'Public id of who acted: the merchant admin who registered, or the official who decided' })
  by: string;

  @ApiProperty({ type: String, nullable: true, description: "The official's name; null for the merchant admin who registered", example: '王海曙' })
  byName: string | null;

  @ApiProperty({ example: 'commerce_official' })
  byRole: string;

  @ApiProperty({ type: String, format: 'date-time' })
  at: string;
}

/** A bank account the merchant asked for, and what became of it. */
export class BankAccountChangeRecordView extends BankAccountChangeView {
  @ApiProperty({ type: String, nullable: true, description: 'Public id of the official who decided (or the admin whose later request withdrew it)' })
  decidedBy: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The name of the official who decided; null while pending or when withdrawn' })
  decidedByName: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;
}

/** A merchant as officials read it: its registry entry, its review history and its bank account changes. */
export class MerchantRecordView extends MerchantView {
  @ApiProperty({
    type: [MerchantReviewStepView],
    description:
      'Newest first, at most the latest 100 (all of them in the audit trail). A merchant brought in by a bulk import has no ' +
      'submitted step: imports are audited per file (merchant.import)',
  })
  reviewHistory: MerchantReviewStepView[];

  @ApiProperty({ type: [BankAccountChangeRecordView], description: 'Newest first, at most the latest 100; numbers masked' })
  bankAccountChanges: BankAccountChangeRecordView[];
}

/**
 * A merchant.register or merchant.<decision> entry as a review step (their writers record
 * { from, to, reason } for decisions); `names`: officials' names by public id (officialNames).
 */
export function reviewStepOf(entry: AuditEntry, names: ReadonlyMap<string, string>): MerchantReviewStepView {
  const detail = entry.detail as { from?: string; to?: string; reason?: string };
  const registered = entry.action === 'merchant.register';
  return {
    step: registered ? 'submitted' : (entry.action.slice('merchant.'.length) as MerchantReviewStepView['step']),
    from: registered ? null : (detail.from ?? null),
    to: registered ? 'pending' : String(detail.to),
    reason: detail.reason ?? null,
    by: entry.actorId,
    byName: names.get(entry.actorId) ?? null,
    byRole: entry.actorRole,
    at: entry.at.toISOString(),
  };
}
