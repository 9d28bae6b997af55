import { AppError } from '@vouchers/common';
import { hitRateLimit, Redis } from '@vouchers/redis';
import { ResidentErrorCode } from '../resident-errors';

const HOUR_MS = 3600_000;

export interface RateRule {
  limit: number;
  windowMs: number;
}

/**
 * How one-time codes are handed out and checked. With these numbers a guesser gets at most
 * 5 tries × 10 codes an hour at one number: 50 in 1,000,000. The per-address rule stops one
 * machine from sending codes to a whole list of numbers (each SMS costs money and annoys).
 */
export const OTP_POLICY = {
  codeTtlSeconds: 300,
  maxTries: 5,
  cooldownSeconds: 60,
  sendsPerPhone: { limit: 10, windowMs: HOUR_MS } satisfies RateRule,
  sendsPerAddress: { limit: 30, windowMs: HOUR_MS } satisfies RateRule,
  checksPerAddress: { limit: 100, windowMs: HOUR_MS } satisfies RateRule,
} as const;

/** Every key carries its subject as the hash tag, so each lives in one Redis Cluster slot. */
export const otpKeys = {
  code: (phone: string) => `otp:{${phone}}`,
  cooldown: (phone: string) => `otp:cooldown:{${phone}}`,
  sendsPerPhone: (phone: string) => `rl:otp:phone:{${phone}}`,
  sendsPerAddress: (address: string) => `rl:otp:ip:{${address}}`,
  checksPerAddress: (address: string) => `rl:otp-verify:ip:{${address}}`,
};

export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** Counts one hit against the rule; over it, 429 with the code given and when to try again. */
export async function enforceRateLimit(
  client: Redis,
  key: string,
  rule: RateRule,
  code: ResidentErrorCode,
  message: string,
): Promise<void> {
  const result = await hitRateLimit(client, key, rule.limit, rule.windowMs);
  if (!result.allowed) {
    throw new AppError(code, message, 429, { retryAfterSeconds: retryAfterSeconds(result.retryAfterMs) });
  }
}
