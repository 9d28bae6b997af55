import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, normalisePublicValue, PUBLIC_VALUE_MAX } from '@vouchers/common';
import { LotteryDraw, recordAudit } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { lockAndFreeze } from './freeze-entrants';
import { LotteryErrorCode } from './lottery-errors';
import { LotteryRounds } from './lottery-rounds';
import { PublicValueView } from './lottery.views';

/**
 * The public value of a draw, on four eyes, after sign-up closed (the list is frozen first, so
 * the value cannot have been known to anyone entering): the first commerce official proposes
 * it, a different one confirms by entering the same value. The proposer may replace their own
 * proposal until then; a second official's different value is refused and changes nothing.
 * The table holds the rule too (lottery_draws_four_eyes).
 * Values are compared, stored and published normalised (normalisePublicValue): the same figure
 * typed with full-width digits or another space agrees, a different figure does not.
 */
@Injectable()
export class AgreePublicValue {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(LotteryRounds) private readonly rounds: LotteryRounds,
  ) {}

  async execute(official: AuthUser, roundId: string, sent: string, requestId: string | null): Promise<PublicValueView> {
    const value = normalisePublicValue(sent);
    if (value.length === 0 || value.length > PUBLIC_VALUE_MAX) {
      throw new AppError(CommonErrorCode.ValidationFailed, `value must hold 1 to ${PUBLIC_VALUE_MAX} characters once normalised`, {
        problems: [`value must hold 1 to ${PUBLIC_VALUE_MAX} characters once normalised`],
      });
    }
    return this.db.transaction(async (manager) => {
      const round = await this.rounds.findForOfficial(official, roundId, manager);
      const draw = await lockAndFreeze(manager, round);
      if (draw.public_value !== null) throw new AppError(LotteryErrorCode.PublicValueSettled, 'The public value is already confirmed');
      const now = new Date();
      const secondOfficial = draw.proposed_by !== null && draw.proposed_by !== official.sub;
      // A proposal stored before values were normalised is compared as it would be now.
      if (secondOfficial && normalisePublicValue(draw.proposed_value as string) !== value) {
        throw new AppError(LotteryErrorCode.PublicValueMismatch, 'This value differs from the one proposed by another official');
      }
      const change: Partial<LotteryDraw> = secondOfficial
        ? { publicValue: value, confirmedBy: official.sub, confirmedAt: now }
        : { proposedValue: value, proposedBy: official.sub, proposedAt: now };
      await manager.update(LotteryDraw, { roundId: round.id }, change);
      await recordAudit(manager, {
        actorId: official.sub,
        actorRole: official.role,
        action: secondOfficial ? 'lottery.public_value.confirm' : 'lottery.public_value.propose',
        targetType: 'round',
        targetId: round.publicId,
        // What was typed too, when normalising changed it: the audit shows what each official entered.
        detail: sent === value ? { value } : { value, sent },
        requestId,
      });
      return {
        roundId: round.publicId,
        state: secondOfficial ? 'confirmed' : 'proposed',
        value,
        proposedBy: secondOfficial ? (draw.proposed_by as string) : official.sub,
        confirmedBy: secondOfficial ? official.sub : null,
      };
    });
  }
}
