import { entrantsCsv } from './entrants-csv';

describe('the entrant list as CSV', () => {
  const file = {
    roundId: 'r',
    commitment: 'c',
    salt: 's',
    count: 2,
    digest: 'd',
    entrants: ['a1', 'b2'],
    frozenAt: '2026-12-03T02:00:00.000Z',
    publicValueSource: '上海证券交易所公布的 2026-12-10 上证指数收盘点数',
  };

  it('holds the facts block with the public value source last, an empty line, then one hash per row', () => {
    expect(entrantsCsv(file)).toBe(
      'round_id,commitment,salt,count,digest,frozen_at,public_value_source\n' +
        'r,c,s,2,d,2026-12-03T02:00:00.000Z,上海证券交易所公布的 2026-12-10 上证指数收盘点数\n\nentry_hash\na1\nb2\n',
    );
  });

  it('quotes a source holding a comma or a quote, its quotes doubled, so the row keeps its columns', () => {
    const csv = entrantsCsv({ ...file, publicValueSource: 'SSE "Composite" close, 2026-12-10' });
    expect(csv.split('\n')[1]).toBe('r,c,s,2,d,2026-12-03T02:00:00.000Z,"SSE ""Composite"" close, 2026-12-10"');
  });
});
