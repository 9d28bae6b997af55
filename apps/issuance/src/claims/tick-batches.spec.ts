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

  it('with a linger, holds the calls of several turns for one run, counted from the first', async () => {
    const runs: Array<[string, number[]]> = [];
    const batches = new TickBatches<number>(10, (key, items) => void runs.push([key, items]), 30);
    batches.add('a', 1);
    await turn();
    batches.add('a', 2);
    batches.add('b', 3);
    await turn();
    expect(runs).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(runs).toEqual([
      ['a', [1, 2]],
      ['b', [3]],
    ]);
    // A full batch does not wait.
    for (let n = 0; n < 10; n++) batches.add('c', n);
    expect(runs[2]).toEqual(['c', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  });
});
