import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { LotteryDraw } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { lockAndFreeze } from './freeze-entrants';
import { LotteryErrorCode } from './lottery-errors';
import { LotteryRound, LotteryRounds } from './lottery-rounds';
import { ENTRY_HASHES, OUTCOMES } from './lottery.sql';
import { EntrantsFileView, LotteryView, ResultsFileView } from './lottery.views';

/**
 * The published files of a lottery round, for anyone: what it committed to, the frozen entrant
 * list and the results. They are what scripts/lottery-verify.ts checks, and all it needs.
 */
@Injectable()
export class LotteryFiles {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(LotteryRounds) private readonly rounds: LotteryRounds,
  ) {}

  async lottery(roundId: string): Promise<LotteryView> {
    const round = await this.rounds.find(roundId);
    const { draw } = round;
    return {
      roundId: round.publicId,
      quantity: round.quantity,
      signupOpensAt: (round.signupOpensAt as Date).toISOString(),
      signupClosesAt: (round.signupClosesAt as Date).toISOString(),
      commitment: draw.commitment,
      publicValueSource: draw.publicValueSource,
      salt: draw.salt,
      stage: stageOf(round, new Date()),
      campaignStatus: round.campaign.status as LotteryView['campaignStatus'],
    };
  }

  /**
   * The frozen list; the first read after the close freezes it (lockAndFreeze). Once frozen it
   * never changes, so readers take no lock and never queue behind each other.
   */
  async entrants(roundId: string): Promise<EntrantsFileView> {
    const round = await this.rounds.find(roundId);
    return this.db.transaction(async (manager) => {
      if (round.draw.frozenAt === null) await lockAndFreeze(manager, round);
      const draw = await manager.findOneByOrFail(LotteryDraw, { roundId: round.id });
      const rows: Array<{ entry_hash: string }> = await manager.query(ENTRY_HASHES, [round.id]);
      return {
        roundId: round.publicId,
        commitment: draw.commitment,
        salt: draw.salt,
        count: draw.entrantsCount as number,
        digest: draw.entrantsDigest as string,
        entrants: rows.map((row) => row.entry_hash),
        frozenAt: (draw.frozenAt as Date).toISOString(),
        publicValueSource: draw.publicValueSource,
      };
    });
  }

  /** The results, once the draw is published (its vouchers in Postgres and Redis). */
  async results(roundId: string): Promise<ResultsFileView> {
    const round = await this.rounds.find(roundId);
    const { draw } = round;
    if (draw.publishedAt === null) throw new AppError(LotteryErrorCode.NotDrawn, 'The lottery has not been drawn yet');
    const rows: Array<{ rank: number; entry_hash: string; outcome: string; skip_reason: string | null }> = await this.db.query(OUTCOMES, [round.id]);
    return {
      roundId: round.publicId,
      quantity: round.quantity,
      commitment: draw.commitment,
      seed: draw.revealedSeed as string,
      publicValue: draw.publicValue as string,
      publicValueSource: draw.publicValueSource,
      entrantsDigest: draw.entrantsDigest as string,
      winners: rows.filter((row) => row.outcome === 'won').map((row) => ({ rank: row.rank, entryHash: row.entry_hash })),
      skips: rows
        .filter((row) => row.outcome === 'skipped')
        .map((row) => ({ rank: row.rank, entryHash: row.entry_hash, reason: row.skip_reason as string })),
      drawnAt: (draw.drawnAt as Date).toISOString(),
    };
  }
}

function stageOf(round: LotteryRound, now: Date): LotteryView['stage'] {
  const { draw } = round;
  if (draw.publishedAt !== null) return 'drawn';
  if (draw.publicValue !== null) return 'value_agreed';
  if (draw.frozenAt !== null) return 'frozen';
  if (now < (round.signupOpensAt as Date)) return 'signup_pending';
  return now < (round.signupClosesAt as Date) ? 'signup_open' : 'signup_closed';
}
