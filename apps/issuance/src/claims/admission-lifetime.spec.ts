import { admitsGrabs, endOfRounds, OPEN_ENDED_HORIZON_MS, roundClosesAt, stateExpiry } from './admission-lifetime';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);

describe('admission state lifetime', () => {
  it("closes a round at its own close or the campaign's fixed end, whichever comes first", () => {
    expect(roundClosesAt(new Date(NOW + DAY_MS), new Date(NOW + 2 * DAY_MS))).toBe(NOW + DAY_MS);
    expect(roundClosesAt(new Date(NOW + 3 * DAY_MS), new Date(NOW + 2 * DAY_MS))).toBe(NOW + 2 * DAY_MS);
    expect(roundClosesAt(null, new Date(NOW))).toBe(NOW);
    expect(roundClosesAt(null, null)).toBeNull();
  });

  it('ends a campaign with its last round, and never while one round has no end', () => {
    expect(endOfRounds([NOW, NOW + DAY_MS])).toBe(NOW + DAY_MS);
    expect(endOfRounds([NOW, null])).toBeNull();
    expect(endOfRounds([])).toBeNull();
  });

  it('keeps a live campaign a day past its end, or a horizon ahead without one', () => {
    expect(stateExpiry({ status: 'active', endsAt: NOW + 10 * DAY_MS }, NOW)).toBe(NOW + 11 * DAY_MS);
    expect(stateExpiry({ status: 'paused', endsAt: null }, NOW)).toBe(NOW + OPEN_ENDED_HORIZON_MS + DAY_MS);
    expect(stateExpiry({ status: 'scheduled', endsAt: null }, NOW + 40 * DAY_MS)).toBe(NOW + 40 * DAY_MS + OPEN_ENDED_HORIZON_MS + DAY_MS);
  });

  it('keeps a day of a campaign that admits no more grabs: ended, a draft, or past its end', () => {
    for (const life of [
      { status: 'ended', endsAt: null },
      { status: 'draft', endsAt: NOW + 10 * DAY_MS },
      { status: 'active', endsAt: NOW - 1 },
    ]) {
      expect(admitsGrabs(life, NOW)).toBe(false);
      expect(stateExpiry(life, NOW)).toBe(NOW + DAY_MS);
    }
    expect(admitsGrabs({ status: 'active', endsAt: NOW + 1 }, NOW)).toBe(true);
  });
});
