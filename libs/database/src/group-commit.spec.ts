import { GroupCommit, groupsOf } from './group-commit';

/** A writer whose batches finish when the test says so. */
function controlledWriter() {
  const batches: number[][] = [];
  const finishers: Array<() => void> = [];
  const run = (batch: number[]) => {
    batches.push(batch);
    return new Promise<void>((resolve) => finishers.push(resolve));
  };
  const finishNext = async () => {
    finishers.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, run, finishNext };
}

describe('GroupCommit', () => {
  it('sends a batch as soon as batchMax items wait, and the rest after flushMs', async () => {
    const writer = controlledWriter();
    const commits = new GroupCommit<number>({ flushMs: 5, batchMax: 3, run: writer.run });
    for (const item of [1, 2, 3, 4]) commits.add(item);
    expect(writer.batches).toEqual([[1, 2, 3]]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writer.batches).toEqual([[1, 2, 3], [4]]);
  });

  it('holds items while maxInFlight batches are being written, and sends them as one batch when one finishes', async () => {
    const writer = controlledWriter();
    const commits = new GroupCommit<number>({ flushMs: 1, batchMax: 100, maxInFlight: 1, run: writer.run });
    commits.add(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(writer.batches).toEqual([[1]]);
    for (const item of [2, 3, 4]) commits.add(item);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(writer.batches).toEqual([[1]]); // the writer is busy: they wait, whatever flushMs says
    await writer.finishNext();
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('lets an item that arrived with a writer free wait for its timer, even when a batch finishes first', async () => {
    const writer = controlledWriter();
    const commits = new GroupCommit<number>({ flushMs: 20, batchMax: 100, maxInFlight: 2, run: writer.run });
    commits.add(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    commits.add(2);
    await writer.finishNext();
    expect(writer.batches).toEqual([[1]]); // 2 gathers others until its timer fires
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(writer.batches).toEqual([[1], [2]]);
  });

  it('drains on shutdown, including what waited behind a busy writer', async () => {
    const writer = controlledWriter();
    const commits = new GroupCommit<number>({ flushMs: 1_000, batchMax: 2, maxInFlight: 1, run: writer.run });
    for (const item of [1, 2, 3]) commits.add(item);
    let drained = false;
    const draining = commits.drain().then(() => (drained = true));
    await writer.finishNext();
    expect(writer.batches).toEqual([[1, 2], [3]]);
    expect(drained).toBe(false);
    await writer.finishNext();
    await draining;
    expect(drained).toBe(true);
  });
});

describe('groupsOf', () => {
  it('keeps each group in the order of the batch, and the groups in the order of their first item', () => {
    const groups = groupsOf(['a1', 'b1', 'a2', 'c1', 'b2'], (item) => item[0]);
    expect([...groups]).toEqual([
      ['a', ['a1', 'a2']],
      ['b', ['b1', 'b2']],
      ['c', ['c1']],
    ]);
    expect(groupsOf([], String).size).toBe(0);
  });
});
