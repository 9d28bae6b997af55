import { AppError } from '@vouchers/common';
import { LotteryDraw } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { LotteryErrorCode } from './lottery-errors';
import { entrantsDigestOf } from './lottery-hashes';
import { ENTRY_HASHES, LOCK_DRAW } from './lottery.sql';
import { LotteryRound } from './lottery-rounds';

/** The draw row as LOCK_DRAW reads it. */
export interface LockedDraw {
  frozen_at: Date | null;
  proposed_value: string | null;
  proposed_by: string | null;
  public_value: string | null;
  drawn_at: Date | null;
  published_at: Date | null;
  closed: boolean;
}

/**
 * Locks the round's draw row and, the first time it is called after sign-up closed, freezes
 * the entrant list: its count and digest are written once and never again. Called by whatever
 * first needs the list after the close (its published file, the public value, the draw), in
 * that caller's transaction. The lock waits for sign-ups in flight (they hold it shared) and
 * any that waited on it find the list frozen and write nothing: the digest covers every entry
 * there will ever be. Before the close: SIGNUP_STILL_OPEN.
 */
export async function lockAndFreeze(manager: EntityManager, round: LotteryRound): Promise<LockedDraw> {
  const [draw]: LockedDraw[] = await manager.query(LOCK_DRAW, [round.id]);
  if (!draw.closed) {
    throw new AppError(LotteryErrorCode.SignupStillOpen, 'Sign-up has not closed yet', {
      signupClosesAt: (round.signupClosesAt as Date).toISOString(),
    });
  }
  if (draw.frozen_at !== null) return draw;
  const rows: Array<{ entry_hash: string }> = await manager.query(ENTRY_HASHES, [round.id]);
  const frozenAt = new Date();
  await manager.update(LotteryDraw, { roundId: round.id }, {
    frozenAt,
    entrantsCount: rows.length,
    entrantsDigest: entrantsDigestOf(round.draw.salt, rows.map((row) => row.entry_hash)),
  });
  return { ...draw, frozen_at: frozenAt };
}
