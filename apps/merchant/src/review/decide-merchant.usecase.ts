import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { Merchant, recordAudit } from '@vouchers/database';
import { EligibilityIndex, holdEligibilityWrites, MerchantStatus } from '@vouchers/eligibility';
import { DataSource } from 'typeorm';
import { DecisionDto } from './decision.dto';
import { DecisionView } from './decision.view';
import { EligibilitySync } from './eligibility-sync';
import { canDecide } from './merchant-states';
import { ReviewErrorCode } from './review-errors';

/**
 * An official's decision on a merchant, with the allowed moves only, audited in the same
 * transaction. The eligibility index (which the till trusts) must never call a merchant
 * approved that Postgres does not:
 * - a move away from approved (or between unapproved states) is written to Redis before
 *   Postgres changes: under the row lock, after the move is known to be allowed, before the
 *   commit. If the commit then fails, the index is left stricter, and is brought back.
 * - a move to approved is written after the commit (EligibilitySync.follow).
 */
@Injectable()
export class DecideMerchant {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(EligibilityIndex) private readonly index: EligibilityIndex,
    @Inject(EligibilitySync) private readonly eligibility: EligibilitySync,
  ) {}

  async execute(official: AuthUser, merchantId: string, dto: DecisionDto, requestId: string | null): Promise<DecisionView> {
    const reason = dto.reason.trim();
    let indexWritten = false;
    try {
      const decided = await this.db.transaction(async (manager) => {
        await holdEligibilityWrites(manager);
        const merchant = await manager.findOne(Merchant, {
          select: { id: true, status: true, district: true, category: true, updatedAt: true },
          where: { publicId: merchantId },
          lock: { mode: 'pessimistic_write' },
        });
        // Out of scope reads as not found: a district official learns nothing of other districts.
        if (!merchant || (official.district && merchant.district !== official.district)) {
          throw new AppError(CommonErrorCode.MerchantNotFound, 'No such merchant');
        }
        // The record the official decided on is not the merchant now: they read it again (a pending
        // shop may change its payout account at once, and an approval must not carry a new one unseen).
        if (dto.seenUpdatedAt !== undefined && merchant.updatedAt.getTime() !== Date.parse(dto.seenUpdatedAt)) {
          throw new AppError(ReviewErrorCode.MerchantChanged, 'The merchant changed since you read it; read it again and decide', {
            updatedAt: merchant.updatedAt.toISOString(),
          });
        }
        const { district, category } = merchant;
        const from = merchant.status as MerchantStatus;
        if (!canDecide(from, dto.to)) {
          throw new AppError(CommonErrorCode.InvalidTransition, `A ${from} merchant cannot become ${dto.to}`, { from, to: dto.to });
        }
        if (dto.to !== 'approved') {
          indexWritten = true;
          await this.index.put({ merchantId, status: dto.to, district, category });
        }
        // updated_at follows, and is the decision's time.
        await manager.update(Merchant, { id: merchant.id }, { status: dto.to });
        const updated = await manager.findOneOrFail(Merchant, { select: { id: true, updatedAt: true }, where: { id: merchant.id } });
        await recordAudit(manager, {
          actorId: official.sub,
          actorRole: official.role,
          action: `merchant.${dto.to}`,
          targetType: 'merchant',
          targetId: merchantId,
          detail: { from, to: dto.to, reason, ...(official.district ? { officialDistrict: official.district } : {}) },
          requestId,
        });
        return { from, decidedAt: updated.updatedAt };
      });
      if (dto.to === 'approved') await this.eligibility.follow(merchantId);
      return { merchantId, from: decided.from, to: dto.to, reason, decidedBy: official.sub, decidedAt: decided.decidedAt };
    } catch (error) {
      // The stricter entry written before a commit that failed goes back to what Postgres has.
      if (indexWritten) await this.eligibility.follow(merchantId);
      throw error;
    }
  }
}
