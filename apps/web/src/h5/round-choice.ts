// Which grab rounds of a voucher type the page offers now: the open one, and the next to open.
import type { RoundView } from './api-types';

export interface RoundsNow {
  /** Open now (it may be sold out: remaining 0). */
  open: RoundView | null;
  /** The next grab round to open, for the countdown. */
  next: RoundView | null;
}

export function grabRoundsNow(rounds: RoundView[], now: number): RoundsNow {
  const grabs = rounds.filter((round) => round.kind === 'grab');
  const open = grabs.find((round) => Date.parse(round.opensAt) <= now && (round.closesAt === null || Date.parse(round.closesAt) > now)) ?? null;
  const next = grabs.filter((round) => Date.parse(round.opensAt) > now).sort((a, b) => Date.parse(a.opensAt) - Date.parse(b.opensAt))[0] ?? null;
  return { open, next };
}

/** The lottery rounds whose sign-up has not long passed (until a week after it closed, to see the result). */
export function lotteryRounds(rounds: RoundView[], now: number): RoundView[] {
  const week = 7 * 86_400_000;
  return rounds.filter((round) => round.kind === 'lottery' && (round.signupClosesAt === null || Date.parse(round.signupClosesAt) + week > now));
}

/**
 * Whether to say that a voucher type has nothing more to offer: no grab round open or to come,
 * and no lottery round to show either (a type whose grabs are over but whose lottery is listed
 * below is not "over", and one given out by lottery only has no grab rounds to miss).
 */
export function nothingMore(rounds: RoundView[], now: number): boolean {
  const grabs = grabRoundsNow(rounds, now);
  return grabs.open === null && grabs.next === null && lotteryRounds(rounds, now).length === 0;
}
