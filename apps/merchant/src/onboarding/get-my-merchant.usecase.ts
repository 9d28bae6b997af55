import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { pendingChangeOf } from '../bank-account-changes/bank-accounts';
import { requireMerchantCaller } from '../staff/merchant-caller';
import { merchantViewOf, MerchantView } from './dtos/merchant.view';
import { findOwnMerchant } from './own-merchant';
import { OnboardingErrorCode } from './onboarding-errors';

/** The caller's own merchant, for its admin and cashiers alike, with any bank account change awaiting review. */
@Injectable()
export class GetMyMerchant {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(user: AuthUser): Promise<MerchantView> {
    const caller = await requireMerchantCaller(this.db.manager, user);
    const merchant = await findOwnMerchant(this.db.manager, caller);
    if (!merchant) throw AppError.notFound(OnboardingErrorCode.MerchantNotFound, 'No such merchant');
    return merchantViewOf(merchant, await pendingChangeOf(this.db.manager, caller.merchantRowId));
  }
}
