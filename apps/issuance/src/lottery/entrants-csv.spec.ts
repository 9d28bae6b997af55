import { entrantsCsv } from './entrants-csv';

describe('the entrant list as CSV', () => {
  it('holds the facts block, an empty line, then one hash per row', () => {
    const csv = entrantsCsv({
      roundId: 'r',
      commitment: 'c',
      salt: 's',
      count: 2,
      digest: 'd',
      entrants: ['a1', 'b2'],
      frozenAt: '2026-12-03T02:00:00.000Z',
    });
    expect(csv).toBe('round_id,commitment,salt,count,digest,frozen_at\nr,c,s,2,d,2026-12-03T02:00:00.000Z\n\nentry_hash\na1\nb2\n');
  });
});
