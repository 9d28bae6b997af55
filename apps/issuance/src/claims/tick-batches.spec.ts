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

  describe('with a linger', () => {
    // The clock is jest's: the test is about when the timer fires, not how long a busy machine
    // takes to reach it (a real 30 ms timer once fired before a loaded CI runner's second turn).
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('holds the calls of several turns for one run, counted from the first', () => {
      const runs: Array<[string, number[]]> = [];
      const batches = new TickBatches<number>(10, (key, items) => void runs.push([key, items]), 30);
      batches.add('a', 1);
      jest.advanceTimersByTime(20);
      batches.add('a', 2);
      batches.add('b', 3);
      jest.advanceTimersByTime(9);
      expect(runs).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(runs).toEqual([
        ['a', [1, 2]],
        ['b', [3]],
      ]);
    });

    it('runs a full batch at once, without waiting', () => {
      const runs: Array<[string, number[]]> = [];
      const batches = new TickBatches<number>(10, (key, items) => void runs.push([key, items]), 30);
      for (let n = 0; n < 10; n++) batches.add('c', n);
      expect(runs).toEqual([['c', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]]);
    });
  });
});
