import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { AuditEntry } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { bankAccountChangeViewOf } from '../bank-account-changes/bank-account-change.view';
import { lastDecidedChangeOf, pendingChangeOf } from '../bank-account-changes/bank-accounts';
import { requireMerchantCaller } from '@vouchers/merchant-caller';
import { merchantViewOf } from './dtos/merchant.view';
import { MyMerchantView } from './dtos/my-merchant.view';
import { findOwnMerchant } from './own-merchant';

/** The caller's own merchant, for its admin and cashiers alike, with any bank account change awaiting review. */
@Injectable()
export class GetMyMerchant {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(user: AuthUser): Promise<MyMerchantView> {
    const caller = await requireMerchantCaller(this.db.manager, user);
    const merchant = await findOwnMerchant(this.db.manager, caller);
    if (!merchant) throw new AppError(CommonErrorCode.MerchantNotFound, 'No such merchant');
    const [pending, decided, decision] = await Promise.all([
      pendingChangeOf(this.db.manager, caller.merchantRowId),
      lastDecidedChangeOf(this.db.manager, caller.merchantRowId),
      // The decision that put it where it is: a shop told it was rejected is told why, to put it right.
      merchant.status === 'rejected' || merchant.status === 'suspended'
        ? this.db.manager.findOne(AuditEntry, {
            select: { id: true, detail: true },
            where: { targetType: 'merchant', targetId: merchant.publicId, action: `merchant.${merchant.status}` },
            order: { id: 'DESC' },
          })
        : null,
    ]);
    const reason = (decision?.detail as { reason?: string } | undefined)?.reason ?? null;
    // Every decision on a change is given a time and a reason (DecideBankAccountChange).
    const lastBankAccountDecision = decided ? { ...bankAccountChangeViewOf(decided), decidedAt: decided.decidedAt as Date, reason: decided.reason ?? '' } : null;
    return { ...merchantViewOf(merchant, pending), decisionReason: reason, lastBankAccountDecision };
  }
}
