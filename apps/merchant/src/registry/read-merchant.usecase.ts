import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, isPublicId } from '@vouchers/common';
import { auditHistoryOf, HISTORY_LIMIT, Merchant, MerchantBankAccountChange, officialNames } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { bankAccountChangeViewOf } from '../bank-account-changes/bank-account-change.view';
import { BANK_ACCOUNT_CHANGE } from '../bank-account-changes/bank-accounts';
import { MERCHANT_PROFILE, merchantViewOf } from '../onboarding/dtos/merchant.view';
import { DECISIONS } from '../review/merchant-states';
import { MerchantRecordView, reviewStepOf } from './merchant-record.view';

/** The audit actions of a merchant's review: its registration and each official's decision (merchant.<to>). */
const REVIEW_ACTIONS = ['merchant.register', ...DECISIONS.map((to) => `merchant.${to}`)];

/**
 * One merchant as officials read it: the registry entry (bank account masked), its review
 * history from the audit log (where each decision is recorded in its own transaction) and its
 * bank account changes. A merchant of another district reads as not found to a district
 * official, as the decisions on it do.
 */
@Injectable()
export class ReadMerchant {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(official: AuthUser, merchantId: string): Promise<MerchantRecordView> {
    const merchant = isPublicId(merchantId)
      ? await this.db.manager.findOne(Merchant, { select: { id: true, ...MERCHANT_PROFILE }, where: { publicId: merchantId } })
      : null;
    if (!merchant || (official.district && merchant.district !== official.district)) {
      throw new AppError(CommonErrorCode.MerchantNotFound, 'No such merchant');
    }
    const [history, changes] = await Promise.all([
      auditHistoryOf(this.db.manager, 'merchant', merchant.publicId, REVIEW_ACTIONS),
      this.db.manager.find(MerchantBankAccountChange, {
        select: BANK_ACCOUNT_CHANGE,
        where: { merchantId: merchant.id },
        order: { id: 'DESC' },
        take: HISTORY_LIMIT,
      }),
    ]);
    const names = await officialNames(this.db.manager, [...history.map((entry) => entry.actorId), ...changes.map((change) => change.decidedBy)]);
    const pending = changes.find((change) => change.status === 'pending') ?? null;
    return {
      ...merchantViewOf(merchant, pending),
      reviewHistory: history.map((entry) => reviewStepOf(entry, names)),
      bankAccountChanges: changes.map((change) => ({
        ...bankAccountChangeViewOf(change),
        decidedBy: change.decidedBy,
        decidedByName: change.decidedBy ? (names.get(change.decidedBy) ?? null) : null,
        decidedAt: change.decidedAt,
        reason: change.reason,
      })),
    };
  }
}
