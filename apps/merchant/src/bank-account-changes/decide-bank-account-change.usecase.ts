import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { Merchant, MerchantBankAccountChange, recordAudit } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { BankAccountChangeErrorCode } from './bank-account-change-errors';
import { BankAccountChangeDecisionDto } from './bank-account-change.dto';
import { BankAccountChangeDecisionView } from './bank-account-change.view';
import { BANK_ACCOUNT } from './bank-accounts';
import { maskedAccountOf } from './request-bank-account-change.usecase';

/**
 * An official's decision on a requested bank account: approved, it becomes the merchant's
 * account (the one the next settlement build snapshots for the payout file); rejected, the
 * approved account stays. Commerce officials of the merchant's district or city-wide, as for
 * merchant review; a merchant elsewhere reads as not found. The official is never the one who
 * asked (an admin asks, an official decides: four eyes, checked all the same). The decision
 * and its audit entry, with both accounts masked, commit together.
 */
@Injectable()
export class DecideBankAccountChange {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  execute(official: AuthUser, changeId: string, dto: BankAccountChangeDecisionDto, requestId: string | null): Promise<BankAccountChangeDecisionView> {
    const reason = dto.reason.trim();
    const notFound = () => AppError.notFound(BankAccountChangeErrorCode.ChangeNotFound, 'No such bank account change');
    return this.db.transaction(async (manager) => {
      // The merchant's row first, then the change's: the order the merchant's own requests lock them in.
      const owner = await manager.findOne(MerchantBankAccountChange, { select: { id: true, merchantId: true }, where: { publicId: changeId } });
      if (!owner) throw notFound();
      const merchant = await manager.findOneOrFail(Merchant, {
        select: { id: true, publicId: true, district: true, ...BANK_ACCOUNT },
        where: { id: owner.merchantId },
        lock: { mode: 'pessimistic_write' },
      });
      // Out of scope reads as not found: a district official learns nothing of other districts.
      if (official.district && merchant.district !== official.district) throw notFound();
      const change = await manager.findOneOrFail(MerchantBankAccountChange, {
        select: { id: true, status: true, requestedBy: true, ...BANK_ACCOUNT },
        where: { id: owner.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (change.status !== 'pending') {
        throw AppError.conflict(BankAccountChangeErrorCode.ChangeNotPending, `This change is already ${change.status}`, { status: change.status });
      }
      if (change.requestedBy === official.sub) {
        throw new AppError(BankAccountChangeErrorCode.FourEyesRequired, 'Whoever asked for a bank account change cannot decide it', 403);
      }

      if (dto.to === 'approved') {
        // updated_at follows, as for every update of a merchant.
        await manager.update(
          Merchant,
          { id: merchant.id },
          { bankAccountName: change.bankAccountName, bankName: change.bankName, bankAccountCipher: change.bankAccountCipher, bankAccountMasked: change.bankAccountMasked },
        );
      }
      await manager.update(MerchantBankAccountChange, { id: change.id }, { status: dto.to, decidedBy: official.sub, decidedAt: () => 'now()', reason });
      const decided = await manager.findOneOrFail(MerchantBankAccountChange, { select: { id: true, decidedAt: true }, where: { id: change.id } });
      const previous = maskedAccountOf(merchant);
      const requested = maskedAccountOf(change);
      await recordAudit(manager, {
        actorId: official.sub,
        actorRole: official.role,
        action: `merchant.bank_account_change.${dto.to}`,
        targetType: 'merchant',
        targetId: merchant.publicId,
        detail: {
          changeId,
          from: previous,
          to: requested,
          requestedBy: change.requestedBy,
          reason,
          ...(official.district ? { officialDistrict: official.district } : {}),
        },
        requestId,
      });
      return {
        id: changeId,
        merchantId: merchant.publicId,
        status: dto.to,
        previous,
        current: dto.to === 'approved' ? requested : previous,
        reason,
        decidedBy: official.sub,
        decidedAt: decided.decidedAt as Date,
      };
    });
  }
}
