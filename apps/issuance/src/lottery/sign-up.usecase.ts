import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { ClaimErrorCode } from '../claims/claim-errors';
import { residentNotFound } from '../residents/resident-lookup';
import { EntryWriter } from './entry-writer';
import { LotteryErrorCode } from './lottery-errors';
import { entryHashOf } from './lottery-hashes';
import { LotteryRound, LotteryRounds } from './lottery-rounds';
import { EntryView } from './lottery.views';

/**
 * One tap: a real-name-verified resident enters a lottery round while its sign-up is open.
 * Signing up again answers the same entry. At a rush a sign-up costs its share of one batched
 * statement and nothing else: the round's fixed facts come from a cache, and the statement
 * decides (the campaign active, the window, the list not frozen) with the database's clock.
 * Only a refused sign-up reads the round, for its precise code.
 */
@Injectable()
export class SignUp {
  constructor(
    @Inject(LotteryRounds) private readonly rounds: LotteryRounds,
    @Inject(EntryWriter) private readonly writer: EntryWriter,
  ) {}

  async execute(resident: AuthUser, roundId: string): Promise<EntryView> {
    if (!resident.verified) throw new AppError(ClaimErrorCode.RealNameRequired, 'Verify your real name before signing up');
    const round = await this.rounds.signupFacts(roundId);
    const entryHash = entryHashOf(round.salt, resident.sub);
    const result = await this.writer.write({ roundId: round.id, residentId: resident.sub, entryHash });
    // Refused by the statement: read the round afresh for the reason.
    if (result === 'closed') throw refusalOf(await this.rounds.find(roundId), new Date());
    // A token signed before its account was closed, or its number moved to another account.
    if (result === 'gone') throw residentNotFound();
    return { roundId, entryHash, commitment: round.commitment };
  }
}

/** Why the writer's statement found this round taking no sign-up: the campaign's status, or the window. */
function refusalOf(round: LotteryRound, now: Date): AppError {
  if (round.campaign.status !== 'active') {
    return new AppError(ClaimErrorCode.CampaignNotActive, `This campaign is ${round.campaign.status}`, { status: round.campaign.status });
  }
  const opens = round.signupOpensAt as Date;
  if (now < opens) return new AppError(LotteryErrorCode.SignupNotOpen, 'Sign-up has not opened yet', { signupOpensAt: opens.toISOString() });
  return new AppError(LotteryErrorCode.SignupClosed, 'Sign-up has closed');
}
