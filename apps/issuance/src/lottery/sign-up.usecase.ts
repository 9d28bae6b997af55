import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { ClaimErrorCode } from '../claims/claim-errors';
import { EntryWriter } from './entry-writer';
import { LotteryErrorCode } from './lottery-errors';
import { entryHashOf } from './lottery-hashes';
import { LotteryRound, LotteryRounds } from './lottery-rounds';
import { EntryView } from './lottery.views';

/**
 * One tap: a real-name-verified resident enters a lottery round while its sign-up is open.
 * Signing up again answers the same entry. The writer's statement decides (the campaign
 * active, the window, the list not frozen) with the database's clock; the checks before it
 * only give a refused sign-up its precise code.
 */
@Injectable()
export class SignUp {
  constructor(
    @Inject(LotteryRounds) private readonly rounds: LotteryRounds,
    @Inject(EntryWriter) private readonly writer: EntryWriter,
  ) {}

  async execute(resident: AuthUser, roundId: string): Promise<EntryView> {
    if (!resident.verified) throw new AppError(ClaimErrorCode.RealNameRequired, 'Verify your real name before signing up');
    const round = await this.rounds.find(roundId);
    const refusal = refusalOf(round, new Date());
    if (refusal) throw refusal;
    const entryHash = entryHashOf(round.draw.salt, resident.sub);
    const result = await this.writer.write({ roundId: round.id, residentId: resident.sub, entryHash });
    if (result === 'closed') {
      // The statement found the round closed though the clock here did not: read again for the reason.
      throw refusalOf(await this.rounds.find(roundId), new Date(), true) as AppError;
    }
    return { roundId: round.publicId, entryHash, commitment: round.draw.commitment };
  }
}

/** Why this round takes no sign-up now, or null; `closed` says the database already refused it. */
function refusalOf(round: LotteryRound, now: Date, closed = false): AppError | null {
  if (round.campaign.status !== 'active') {
    return new AppError(ClaimErrorCode.CampaignNotActive, `This campaign is ${round.campaign.status}`, { status: round.campaign.status });
  }
  const opens = round.signupOpensAt as Date;
  if (now < opens) return new AppError(LotteryErrorCode.SignupNotOpen, 'Sign-up has not opened yet', { signupOpensAt: opens.toISOString() });
  if (closed || now >= (round.signupClosesAt as Date) || round.draw.frozenAt !== null) {
    return new AppError(LotteryErrorCode.SignupClosed, 'Sign-up has closed');
  }
  return null;
}
