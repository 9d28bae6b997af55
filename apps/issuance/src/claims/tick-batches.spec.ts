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

  it('one run at a time: calls that come while a key’s run is in flight go together once it settles; other keys do not wait', async () => {
    const runs: Array<[string, number[]]> = [];
    const pending: Array<() => void> = [];
    const batches = new TickBatches<number>(
      100,
      (key, items) => {
        runs.push([key, items]);
        return new Promise<void>((resolve) => pending.push(resolve));
      },
      true,
    );
    batches.add('a', 1);
    await turn();
    batches.add('a', 2);
    await turn();
    batches.add('a', 3);
    batches.add('b', 9);
    await turn();
    expect(runs).toEqual([
      ['a', [1]],
      ['b', [9]],
    ]);
    pending[0]();
    await turn();
    await turn();
    expect(runs).toEqual([
      ['a', [1]],
      ['b', [9]],
      ['a', [2, 3]],
    ]);
  });

  it('one run at a time: a run that fails releases its key as one that succeeds does', async () => {
    const runs: number[][] = [];
    let fail: (error: Error) => void = () => undefined;
    const batches = new TickBatches<number>(
      100,
      (_, items) => {
        runs.push(items);
        return runs.length === 1 ? new Promise<void>((_, reject) => (fail = reject)) : Promise.resolve();
      },
      true,
    );
    batches.add('a', 1);
    await turn();
    batches.add('a', 2);
    fail(new Error('Redis went away'));
    await turn();
    await turn();
    expect(runs).toEqual([[1], [2]]);
  });
});
