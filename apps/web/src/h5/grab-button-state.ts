// The grab button's logic, apart from Vue: one grab at a time (a second press while one is in
// flight is ignored), 429 and 503 answers waited out (the server's Retry-After stretched by
// jitter: shared/api.ts retryDelayMs) and tried again with the same Idempotency-Key, and every
// ending named as an outcome the page says in plain words (messages.ts grab.outcome.<outcome>).
import { ApiError, isRetryable, retryDelayMs } from '../shared/api';

export type GrabOutcome =
  | 'claimed'
  | 'alreadyHeld'
  | 'alreadyClaimed'
  | 'soldOut'
  | 'notOpen'
  | 'closed'
  | 'notActive'
  | 'budgetExhausted'
  | 'realNameRequired'
  | 'signInRequired'
  | 'sessionEnded'
  | 'isLottery'
  | 'busy'
  | 'failed';

/** What the button shows: ready, grabbing, waiting before a retry (how long), or done. */
export type GrabPhase = { kind: 'ready' } | { kind: 'grabbing'; attempt: number } | { kind: 'waiting'; ms: number; attempt: number } | { kind: 'done'; outcome: GrabOutcome };

const OUTCOME_OF_CODE: Record<string, GrabOutcome> = {
  SOLD_OUT: 'soldOut',
  ALREADY_CLAIMED: 'alreadyClaimed',
  ROUND_NOT_OPEN: 'notOpen',
  ROUND_CLOSED: 'closed',
  CAMPAIGN_NOT_ACTIVE: 'notActive',
  BUDGET_EXHAUSTED: 'budgetExhausted',
  REAL_NAME_REQUIRED: 'realNameRequired',
  ROUND_IS_LOTTERY: 'isLottery',
  // The account was closed (on another phone) since this phone's token was signed: no one to grab for.
  RESIDENT_NOT_FOUND: 'sessionEnded',
};

/** The outcome of a grab that ended in an error (after its retries). */
export function outcomeOfError(error: unknown): GrabOutcome {
  if (!(error instanceof ApiError)) return 'failed';
  if (error.status === 401) return 'signInRequired';
  const known = OUTCOME_OF_CODE[error.code];
  if (known) return known;
  return isRetryable(error) ? 'busy' : 'failed';
}

/** The outcome of a grab that got its voucher: 201 a new one, 200 the one this person already held from the round. */
export const outcomeOfStatus = (created: boolean): GrabOutcome => (created ? 'claimed' : 'alreadyHeld');

/** Outcomes after which pressing again can still help (the others say why it cannot). */
export const CAN_PRESS_AGAIN: ReadonlySet<GrabOutcome> = new Set<GrabOutcome>(['busy', 'failed', 'notOpen', 'signInRequired', 'sessionEnded', 'realNameRequired']);

export interface GrabRunnerOptions<T> {
  /** One attempt, with the press's Idempotency-Key (the same for each retry of one press). */
  attempt: (idempotencyKey: string) => Promise<{ created: boolean; voucher: T }>;
  /** Each change of phase, for the button to show. */
  onPhase: (phase: GrabPhase) => void;
  /** Attempts per press before it gives up with `busy`; 5 unless told. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  newKey?: () => string;
}

export interface GrabResult<T> {
  outcome: GrabOutcome;
  voucher: T | null;
  /** How many times the server was asked. */
  attempts: number;
}

/** A key of 8-64 letters, digits, - or _ (the grab's IDEMPOTENCY_KEY pattern). */
export function newIdempotencyKey(random: () => number = Math.random): string {
  let key = 'h5-';
  for (let i = 0; i < 24; i++) key += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)];
  return key;
}

/**
 * A grab button's runner: `press()` starts a grab and resolves with its result, or answers
 * null at once while an earlier press is still in flight (the double press).
 */
export function createGrabRunner<T>(options: GrabRunnerOptions<T>) {
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  let inFlight = false;

  async function run(): Promise<GrabResult<T>> {
    const key = (options.newKey ?? (() => newIdempotencyKey(random)))();
    for (let attempt = 1; ; attempt++) {
      options.onPhase({ kind: 'grabbing', attempt });
      try {
        const { created, voucher } = await options.attempt(key);
        return { outcome: outcomeOfStatus(created), voucher, attempts: attempt };
      } catch (error) {
        if (!isRetryable(error) || attempt >= maxAttempts) return { outcome: outcomeOfError(error), voucher: null, attempts: attempt };
        const ms = retryDelayMs(error, random);
        options.onPhase({ kind: 'waiting', ms, attempt });
        await sleep(ms);
      }
    }
  }

  return {
    get busy(): boolean {
      return inFlight;
    },
    async press(): Promise<GrabResult<T> | null> {
      if (inFlight) return null;
      inFlight = true;
      try {
        const result = await run();
        options.onPhase({ kind: 'done', outcome: result.outcome });
        return result;
      } finally {
        inFlight = false;
      }
    },
  };
}
