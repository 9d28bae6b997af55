import { RECONNECT_MAX_MS } from '@vouchers/redis';

/**
 * How soon the settlement worker resumes an interrupted build, all from one number,
 * JOB_LOCK_MS (config `jobLockMs`: 30 s in production, 4 s in test), so the parts cannot drift
 * apart. The bound: **a build's jobs are back in the queue within JOB_LOCK_MS of a worker dying
 * mid-job, and within JOB_LOCK_MS + 2 s of Redis answering again after a restart (empty, or from
 * an old snapshot)**; a running worker takes them at once, and a chunk that had committed does
 * nothing the second time.
 *
 * A worker dying. BullMQ finds a dead worker's job in two steps: a stalled check marks every
 * active job, and a later check moves a marked job whose lock has expired back to wait. Checks
 * run every `stalledInterval` (one per queue, whichever worker runs it); the lock lasts
 * `lockDuration` and the living worker renews it every half of that at the latest. A worker
 * dying at t last renewed at r ≤ t, so its lock is gone by r + lockDuration ≤ t + lockDuration;
 * some check after r has marked the job by then (stalledInterval < lockDuration), and the first
 * check after the expiry, at most stalledInterval later, moves it. So a job is back within
 * lockDuration + stalledInterval of the death, and a little later: a check starts one
 * stalledInterval after the previous one ended, and timers fire late on a busy machine.
 * BullMQ's defaults (both 30 s) make that 60 s: the "about 62 s" a killed worker took, twice
 * the JOB_LOCK_MS the README promised. Here the lock lasts 7/10 of JOB_LOCK_MS and the check
 * runs every 2/10, so the sum is 9/10 of it and the last tenth covers the lateness. (With no
 * worker running at all, the first check of the next worker to start comes at most one
 * stalledInterval after it starts.)
 *
 * Redis restarting. Every connection of the worker reconnects within 2 s of Redis answering
 * again (reconnectDelay in libs/redis; BullMQ's own default backs off up to 20 s). What Redis lost (the
 * jobs themselves when it comes back empty; a job whose completion or whose parent was lost
 * with it) the build watchdog puts back: it runs every `watchdogMs` from a timer of the worker
 * process, not from Redis, and re-adds every job a `building` batch still needs, from Postgres.
 * Jobs that an old snapshot shows as active are stalled jobs, back within lockDuration +
 * stalledInterval as above (their locks are older still). So JOB_LOCK_MS + 2 s covers both.
 */
export interface RecoveryTiming {
  /** BullMQ worker `lockDuration`: how long a job's lock lasts unless its worker renews it. */
  lockDuration: number;
  /** BullMQ worker `stalledInterval`: how often a stalled check runs. */
  stalledInterval: number;
  /**
   * BullMQ worker `maxStalledCount`: stalls a job may have before BullMQ fails it. Build jobs
   * are idempotent and a stall is a crash or a lost Redis, not the job's fault, so a few are
   * allowed (BullMQ's default, 1, failed a chunk whose worker died twice); the watchdog
   * retries one that failed all the same.
   */
  maxStalledCount: number;
  /** BullMQ worker `runRetryDelay`: the wait before fetching again after a connection error (default 15 s). */
  runRetryDelay: number;
  /** How often the build watchdog checks the building batches' jobs against Postgres. */
  watchdogMs: number;
  /** The stated bound for a dead worker: JOB_LOCK_MS (lockDuration + stalledInterval, and room for lateness). */
  workerDeathBoundMs: number;
  /** The stated bound after Redis answers again: the reconnect, then the watchdog or the stalled check. */
  redisRestartBoundMs: number;
}

export function recoveryTiming(jobLockMs: number): RecoveryTiming {
  const lockDuration = Math.round((jobLockMs * 7) / 10);
  const stalledInterval = Math.round((jobLockMs * 2) / 10);
  return {
    lockDuration,
    stalledInterval,
    maxStalledCount: 5,
    runRetryDelay: stalledInterval,
    watchdogMs: stalledInterval,
    workerDeathBoundMs: jobLockMs,
    redisRestartBoundMs: jobLockMs + RECONNECT_MAX_MS,
  };
}
