// Which grab rounds the campaigns page offers (round-choice.ts): the open one and the next to open.
import { describe, expect, it } from '@jest/globals';
import type { RoundView } from './api-types';
import { grabRoundsNow, lotteryRounds, nothingMore } from './round-choice';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const round = (id: string, opensAt: string, closesAt: string | null, kind: 'grab' | 'lottery' = 'grab', signupClosesAt: string | null = null): RoundView => ({
  id,
  opensAt,
  closesAt,
  quantity: 10,
  remaining: 10,
  kind,
  signupOpensAt: kind === 'lottery' ? '2026-12-01T00:00:00Z' : null,
  signupClosesAt,
});

describe('grabRoundsNow', () => {
  it('offers the open round and counts down to the next', () => {
    const rounds = [
      round('past', '2026-12-03T02:00:00Z', '2026-12-03T14:00:00Z'),
      round('open', '2026-12-04T02:00:00Z', null),
      round('later', '2026-12-11T02:00:00Z', '2026-12-11T14:00:00Z'),
      round('soon', '2026-12-05T02:00:00Z', '2026-12-05T14:00:00Z'),
    ];
    const now = grabRoundsNow(rounds, NOW);
    expect([now.open?.id, now.next?.id]).toEqual(['open', 'soon']);
  });

  it('offers none once every round has closed, and leaves lottery rounds to their own page', () => {
    const rounds = [round('past', '2026-12-03T02:00:00Z', '2026-12-03T14:00:00Z'), round('draw', '2026-12-04T02:00:00Z', null, 'lottery', '2026-12-04T10:00:00Z')];
    expect(grabRoundsNow(rounds, NOW)).toEqual({ open: null, next: null });
    expect(lotteryRounds(rounds, NOW).map((one) => one.id)).toEqual(['draw']);
    expect(lotteryRounds(rounds, NOW + 8 * 86_400_000)).toEqual([]);
  });
});

describe('nothingMore', () => {
  it('says a type is over only when no grab round is open or to come and no lottery round is shown', () => {
    const over = round('over', '2026-12-03T02:00:00Z', '2026-12-03T14:00:00Z');
    expect(nothingMore([over], NOW)).toBe(true);
    expect(nothingMore([over, round('soon', '2026-12-05T02:00:00Z', null)], NOW)).toBe(false);
    // Its grabs are over but its lottery is listed: not over.
    expect(nothingMore([over, round('draw', '2026-12-06T02:00:00Z', null, 'lottery', '2026-12-05T02:00:00Z')], NOW)).toBe(false);
    // A lottery-only type whose result week has passed: over.
    expect(nothingMore([round('old draw', '2026-11-01T02:00:00Z', null, 'lottery', '2026-11-01T00:00:00Z')], NOW)).toBe(true);
  });
});
