import { ConfigError } from '@vouchers/config';
import { GrabTiming } from './grab-timing';

const budget = (queue: number, pool: number, statement: number, sweep: number) => ({
  claimQueueDeadlineMs: queue,
  claimPoolWaitMs: pool,
  claimStatementTimeoutMs: statement,
  claimSweepAfterMs: sweep,
});

describe('the grab timing budget', () => {
  it('holds when a claim commits or fails before the sweeper looks', () => {
    const timing = GrabTiming.of(budget(10_000, 5_000, 5_000, 30_000));
    expect(timing.longestClaimMs).toBe(20_000);
    expect([timing.queueDeadlineMs, timing.poolWaitMs, timing.statementTimeoutMs, timing.sweepAfterMs]).toEqual([10_000, 5_000, 5_000, 30_000]);
    expect(GrabTiming.problemsOf(budget(10_000, 5_000, 5_000, 20_001))).toEqual([]);
  });

  it('is refused when the sum reaches the sweeper age, naming every key and value', () => {
    expect(GrabTiming.problemsOf(budget(10_000, 5_000, 5_000, 20_000))).toHaveLength(1);
    const [problem] = GrabTiming.problemsOf(budget(20_000, 5_000, 6_000, 30_000));
    for (const part of [
      'CLAIM_QUEUE_DEADLINE_MS (claimQueueDeadlineMs) 20000',
      'CLAIM_POOL_WAIT_MS (claimPoolWaitMs) 5000',
      'CLAIM_STATEMENT_TIMEOUT_MS (claimStatementTimeoutMs) 6000',
      '= 31000 ms',
      'CLAIM_SWEEP_AFTER_MS (claimSweepAfterMs) 30000',
    ]) {
      expect(problem).toContain(part);
    }
    expect(() => GrabTiming.of(budget(20_000, 5_000, 6_000, 30_000))).toThrow(ConfigError);
  });
});
