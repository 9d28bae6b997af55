import { AppConfig, ConfigError, envNameOf } from '@vouchers/config';

/** The configuration keys of the grab's timing budget. */
export type GrabTimingConfig = Pick<AppConfig, 'claimQueueDeadlineMs' | 'claimPoolWaitMs' | 'claimStatementTimeoutMs' | 'claimSweepAfterMs'>;

const named = (config: GrabTimingConfig, key: keyof GrabTimingConfig): string => `${envNameOf(key)} (${key}) ${config[key]}`;

/**
 * The grab's timing budget, all of it in one place (ADMISSION.md says more). A grab's claim
 * (its reservation in Redis made, its row not yet in Postgres) either commits or fails within
 * - queueDeadlineMs: the longest it waits for its batch to be sent (ClaimWriter answers `late`
 *   past it and never sends it), counted from before the reservation was made;
 * - poolWaitMs: then the longest the batch waits for a writer connection;
 * - statementTimeoutMs: then the statement and lock timeout of that connection's session.
 * The sweeper gives back a reservation older than sweepAfterMs whose row is not in Postgres
 * (AbandonedReservations). Were a claim still able to commit then, its round would be oversold:
 * so the three must add up to less than sweepAfterMs, or the issuance app does not start.
 */
export class GrabTiming {
  readonly queueDeadlineMs: number;
  readonly poolWaitMs: number;
  readonly statementTimeoutMs: number;
  readonly sweepAfterMs: number;

  private constructor(config: GrabTimingConfig) {
    this.queueDeadlineMs = config.claimQueueDeadlineMs;
    this.poolWaitMs = config.claimPoolWaitMs;
    this.statementTimeoutMs = config.claimStatementTimeoutMs;
    this.sweepAfterMs = config.claimSweepAfterMs;
  }

  /** The longest a claim can take from its grab to its commit or failure. */
  get longestClaimMs(): number {
    return this.queueDeadlineMs + this.poolWaitMs + this.statementTimeoutMs;
  }

  /** What is wrong with the budget of this configuration (nothing: an empty list), naming the keys and their values. */
  static problemsOf(config: GrabTimingConfig): string[] {
    const longest = config.claimQueueDeadlineMs + config.claimPoolWaitMs + config.claimStatementTimeoutMs;
    if (longest < config.claimSweepAfterMs) return [];
    const parts = [named(config, 'claimQueueDeadlineMs'), named(config, 'claimPoolWaitMs'), named(config, 'claimStatementTimeoutMs')];
    return [
      `${parts.join(' + ')} = ${longest} ms must be less than ${named(config, 'claimSweepAfterMs')}: ` +
        'a claim could still commit after the sweeper gave its reservation back, and a round would be oversold',
    ];
  }

  /** The budget of this configuration; throws ConfigError when it does not add up. */
  static of(config: GrabTimingConfig): GrabTiming {
    const problems = GrabTiming.problemsOf(config);
    if (problems.length > 0) throw new ConfigError(problems);
    return new GrabTiming(config);
  }
}
