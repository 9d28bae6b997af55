import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { recordAudit } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { BankAccountChangeErrorCode } from './bank-account-change-errors';
import { BankAccountChangeDecisionDto } from './bank-account-change.dto';
import { BankAccountChangeStatus, StoredBankAccount } from './bank-account-change.records';
import { BankAccountChangeDecisionView } from './bank-account-change.view';
import { maskedAccountOf } from './request-bank-account-change.usecase';

interface ChangeRow extends StoredBankAccount {
  id: string;
  status: BankAccountChangeStatus;
  requested_by: string;
}

interface MerchantRow extends StoredBankAccount {
  public_id: string;
  district: string;
}

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
    const notFound = () => new AppError(BankAccountChangeErrorCode.ChangeNotFound, 'No such bank account change');
    return this.db.transaction(async (manager) => {
      // The merchant's row first, then the change's: the order the merchant's own requests lock them in.
      const [owner]: Array<{ merchant_id: string }> = await manager.query(
        'SELECT merchant_id FROM merchant_bank_account_changes WHERE public_id = $1',
        [changeId],
      );
      if (!owner) throw notFound();
      const [merchant]: MerchantRow[] = await manager.query(
        `SELECT public_id, district, bank_account_name, bank_name, bank_account_cipher, bank_account_masked
           FROM merchants WHERE id = $1 FOR UPDATE`,
        [owner.merchant_id],
      );
      // Out of scope reads as not found: a district official learns nothing of other districts.
      if (official.district && merchant.district !== official.district) throw notFound();
      const [change]: ChangeRow[] = await manager.query(
        `SELECT id, status, requested_by, bank_account_name, bank_name, bank_account_cipher, bank_account_masked
           FROM merchant_bank_account_changes WHERE public_id = $1 FOR UPDATE`,
        [changeId],
      );
      if (change.status !== 'pending') {
        throw new AppError(BankAccountChangeErrorCode.ChangeNotPending, `This change is already ${change.status}`, { status: change.status });
      }
      if (change.requested_by === official.sub) {
        throw new AppError(CommonErrorCode.FourEyesRequired, 'Whoever asked for a bank account change cannot decide it');
      }

      if (dto.to === 'approved') {
        await manager.query(
          `UPDATE merchants SET bank_account_name = $2, bank_name = $3, bank_account_cipher = $4, bank_account_masked = $5, updated_at = now()
            WHERE id = $1`,
          [owner.merchant_id, change.bank_account_name, change.bank_name, change.bank_account_cipher, change.bank_account_masked],
        );
      }
      const [[decided]]: [Array<{ decided_at: Date }>, number] = await manager.query(
        `UPDATE merchant_bank_account_changes SET status = $2, decided_by = $3, decided_at = now(), reason = $4 WHERE id = $1 RETURNING decided_at`,
        [change.id, dto.to, official.sub, reason],
      );
      const previous = maskedAccountOf(merchant);
      const requested = maskedAccountOf(change);
      await recordAudit(manager, {
        actorId: official.sub,
        actorRole: official.role,
        action: `merchant.bank_account_change.${dto.to}`,
        targetType: 'merchant',
        targetId: merchant.public_id,
        detail: {
          changeId,
          from: previous,
          to: requested,
          requestedBy: change.requested_by,
          reason,
          ...(official.district ? { officialDistrict: official.district } : {}),
        },
        requestId,
      });
      return {
        id: changeId,
        merchantId: merchant.public_id,
        status: dto.to,
        previous,
        current: dto.to === 'approved' ? requested : previous,
        reason,
        decidedBy: official.sub,
        decidedAt: decided.decided_at,
      };
    });
  }
}
