import { TickBatches } from './tick-batches';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('TickBatches', () => {
  it('hands one turn’s calls of a key to one run, at most max at a time', async () => {
    const runs: Array<[string, number[]]> = [];
    const batches = new TickBatches<number>(3, (key, items) => void runs.push([key, items]));
    for (const n of [1, 2, 3, 4]) batches.add('a', n);
    batches.add('b', 5);
    await turn();
    expect(runs).toEqual([
      ['a', [1, 2, 3]],
      ['a', [4]],
      ['b', [5]],
    ]);
  });
});
