import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { LotteryErrorCode } from './lottery-errors';
import { LotteryRounds } from './lottery-rounds';
import { MY_ENTRY } from './lottery.sql';
import { MyEntryView } from './lottery.views';

/**
 * A resident's own entry, read by their id from the token only: that they took part (their
 * entry's hash, to find in the published list), the round's commitment, and once the draw is
 * published whether they won. Before that it is pending, whatever the database holds.
 */
@Injectable()
export class MyEntry {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(LotteryRounds) private readonly rounds: LotteryRounds,
  ) {}

  async execute(resident: AuthUser, roundId: string): Promise<MyEntryView> {
    const round = await this.rounds.find(roundId);
    const rows: Array<{ entry_hash: string; outcome: string | null; skip_reason: string | null; voucher_id: string | null }> =
      await this.db.query(MY_ENTRY, [round.id, resident.sub]);
    if (rows.length === 0) throw new AppError(LotteryErrorCode.NotEntered, 'You did not sign up for this lottery');
    const [entry] = rows;
    const published = round.draw.publishedAt !== null;
    const status = !published ? 'pending' : entry.outcome === 'won' ? 'won' : entry.outcome === 'skipped' ? 'skipped' : 'not_drawn';
    return {
      roundId: round.publicId,
      entryHash: entry.entry_hash,
      commitment: round.draw.commitment,
      status,
      skipReason: published ? entry.skip_reason : null,
      voucherId: published ? entry.voucher_id : null,
    };
  }
}
