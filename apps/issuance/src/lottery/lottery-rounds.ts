import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { Campaign, LotteryDraw, Round, VoucherType } from '@vouchers/database';
import { DataSource, EntityManager } from 'typeorm';
import { inOfficialScope } from '../campaigns/campaign-rules';
import { ClaimErrorCode } from '../claims/claim-errors';
import { LotteryErrorCode } from './lottery-errors';

/** A lottery round with its campaign, voucher type and published facts, as one read gives them. */
export type LotteryRound = Round & { campaign: Campaign; voucherType: VoucherType; draw: LotteryDraw };

/** What a sign-up needs of its round; none of it changes once the round exists. */
export type SignupFacts = Pick<Round, 'id'> & Pick<LotteryDraw, 'salt' | 'commitment'>;

/** Rounds whose sign-up facts are kept; beyond it the oldest go (a Map iterates oldest first). */
const FACTS_KEPT = 1_000;

/**
 * Finds lottery rounds by public id: ROUND_NOT_FOUND for none (or one of a draft campaign,
 * which nobody outside the officials has seen), NOT_A_LOTTERY for a grab round.
 */
@Injectable()
export class LotteryRounds {
  private readonly facts = new Map<string, SignupFacts>();
  /** Reads of facts not yet kept: a rush's first requests share one instead of each reading the round. */
  private readonly reading = new Map<string, Promise<SignupFacts>>();

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** A lottery round's fixed facts, read once per process; errors as find's. */
  signupFacts(roundId: string): Promise<SignupFacts> {
    const cached = this.facts.get(roundId);
    if (cached) return Promise.resolve(cached);
    let reading = this.reading.get(roundId);
    if (!reading) {
      reading = this.readFacts(roundId).finally(() => this.reading.delete(roundId));
      this.reading.set(roundId, reading);
    }
    return reading;
  }

  private async readFacts(roundId: string): Promise<SignupFacts> {
    const { id, draw } = await this.find(roundId);
    if (this.facts.size >= FACTS_KEPT) this.facts.delete(this.facts.keys().next().value as string);
    const facts = { id, salt: draw.salt, commitment: draw.commitment };
    this.facts.set(roundId, facts);
    return facts;
  }

  async find(roundId: string, manager: EntityManager = this.db.manager): Promise<LotteryRound> {
    const round = await manager
      .createQueryBuilder(Round, 'r')
      .innerJoinAndSelect('r.campaign', 'c')
      .innerJoinAndSelect('r.voucherType', 't')
      .where('r.publicId = :roundId', { roundId })
      .getOne();
    if (!round?.campaign || !round.voucherType || round.campaign.status === 'draft') {
      throw new AppError(ClaimErrorCode.RoundNotFound, 'No such round');
    }
    if (round.kind !== 'lottery') throw new AppError(LotteryErrorCode.NotALottery, 'This round is a grab, not a lottery');
    const draw = await manager.findOneByOrFail(LotteryDraw, { roundId: round.id });
    return Object.assign(round, { campaign: round.campaign, voucherType: round.voucherType, draw });
  }

  /** As find, for an official: a round of a campaign outside their district reads as not found. */
  async findForOfficial(official: AuthUser, roundId: string, manager?: EntityManager): Promise<LotteryRound> {
    const round = await this.find(roundId, manager);
    if (!inOfficialScope(official, round.campaign.districts)) throw new AppError(ClaimErrorCode.RoundNotFound, 'No such round');
    return round;
  }
}
