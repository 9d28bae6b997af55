import { AppError } from '@vouchers/common';
import { hitRateLimit, Redis } from '@vouchers/redis';

const HOUR_MS = 3600_000;

export interface RateRule {
  limit: number;
  windowMs: number;
}

/**
 * How one-time codes are handed out and checked. With these numbers a guesser gets at most
 * 5 tries × 10 codes an hour at one number and audience: 50 in 1,000,000. The per-address
 * rules stop one machine from sending codes to a whole list of numbers (each SMS costs money
 * and annoys) and from guessing at many numbers; they count every audience together, so an
 * address gets 30 sends and 100 checks an hour in all, not that much again at each app.
 */
export const OTP_POLICY = {
  codeTtlSeconds: 300,
  maxTries: 5,
  cooldownSeconds: 60,
  sendsPerPhone: { limit: 10, windowMs: HOUR_MS } satisfies RateRule,
  sendsPerAddress: { limit: 30, windowMs: HOUR_MS } satisfies RateRule,
  checksPerAddress: { limit: 100, windowMs: HOUR_MS } satisfies RateRule,
} as const;

/**
 * Who the codes are for, and what a code proves. One person may be both a resident and a
 * cashier: each audience has its own codes, cool-downs and per-number limits, so signing in to
 * one never uses up, or answers for, the other (a code guards one account, and a number's
 * limits bound the guesses at that account's code). The per-address limits are the exception:
 * they bound what one network may do in all, so every audience counts against the same ones.
 * 'resident-phone-change' is a purpose rather than a person: a signed-in resident proving a new
 * number before their account moves to it. Its codes are kept apart from sign-in codes (other
 * keys, another hash key), so neither kind of code is taken for the other. 'resident-closing' is
 * one too: a signed-in resident confirming, on their own number, that their account is to close.
 */
export const OTP_AUDIENCES = ['resident', 'merchant', 'resident-phone-change', 'resident-closing'] as const;
export type OtpAudience = (typeof OTP_AUDIENCES)[number];

/**
 * What the message carrying a code says the code does. Each has its own SMS template, so a
 * resident asked by a caller for "the code we just sent" reads that it closes their account, or
 * moves it to another number, and not that it signs them in.
 */
export type CodePurpose = 'sign-in' | 'phone-change' | 'closing';

export const CODE_PURPOSES: Readonly<Record<OtpAudience, CodePurpose>> = {
  resident: 'sign-in',
  merchant: 'sign-in',
  'resident-phone-change': 'phone-change',
  'resident-closing': 'closing',
};

export interface OtpKeys {
  code: (phone: string) => string;
  cooldown: (phone: string) => string;
  sendsPerPhone: (phone: string) => string;
  sendsPerAddress: (address: string) => string;
  checksPerAddress: (address: string) => string;
}

/**
 * The Redis keys of one audience. The audience is in every key of a number, so residents'
 * and staff's codes and number limits never meet; the per-address counters name no audience,
 * so all audiences share them. The subject is the hash tag, so each key lives in one Redis
 * Cluster slot.
 */
export function otpKeysFor(audience: OtpAudience): OtpKeys {
  return {
    code: (phone) => `otp:${audience}:{${phone}}`,
    cooldown: (phone) => `otp:${audience}:cooldown:{${phone}}`,
    sendsPerPhone: (phone) => `rl:otp:${audience}:phone:{${phone}}`,
    sendsPerAddress: (address) => `rl:otp:ip:{${address}}`,
    checksPerAddress: (address) => `rl:otp-verify:ip:{${address}}`,
  };
}

export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** Counts one hit against the rule; over it, 429 with the code given and when to try again. */
export async function enforceRateLimit(client: Redis, key: string, rule: RateRule, code: string, message: string): Promise<void> {
  const result = await hitRateLimit(client, key, rule.limit, rule.windowMs);
  if (!result.allowed) {
    throw new AppError(code, message, { retryAfterSeconds: retryAfterSeconds(result.retryAfterMs) });
  }
}
