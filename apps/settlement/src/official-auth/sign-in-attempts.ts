import { Inject, Injectable, Logger } from '@nestjs/common';
import { giveBackRateLimitHit, hitRateLimit, REDIS, Redis } from '@vouchers/redis';
import { CredentialRefusal } from './official-credentials';
import { OfficialAuthErrorCode } from './official-auth-errors';
import { SIGN_IN_POLICY } from './sign-in-policy';

const WINDOW_MS = SIGN_IN_POLICY.attemptWindowSeconds * 1000;

/** A number's counters share its hash tag: one Cluster slot. */
const keysOf = (phone: string, address: string) => ({
  fromAddress: `official-sign-in:{${phone}}:from:${address}`,
  everywhere: `official-sign-in:{${phone}}:all`,
});

/** What an attempt taken leaves: how many more before the lock, and how long the window that would lock runs. */
export interface Allowance {
  left: number;
  lockSeconds: number;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Sign-in attempts per number, counted in Redis before anything is checked: per client address
 * (SIGN_IN_POLICY.attemptsPerAddress in the window) and over every address (attemptsPerNumber,
 * against guessing spread over many). The count is taken atomically first, so requests sent
 * at once cannot all pass a check made before any of them counted. A stranger who knows an
 * official's number, and not the password, locks that number only to the addresses they use
 * until they reach the higher bar; counting on the account itself locked the official out at
 * the fifth. Every failure is answered from this count, whatever failed (password or TOTP
 * code) and whether the number is an official's at all, so an answer tells neither.
 */
@Injectable()
export class SignInAttempts {
  private readonly logger = new Logger(SignInAttempts.name);

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Takes one attempt; the lock instead when this address or every address has none left. */
  async take(phone: string, address: string): Promise<Allowance | { locked: number }> {
    const keys = keysOf(phone, address);
    const fromAddress = await hitRateLimit(this.redis, keys.fromAddress, SIGN_IN_POLICY.attemptsPerAddress, WINDOW_MS);
    if (!fromAddress.allowed) return { locked: seconds(fromAddress.retryAfterMs) };
    const everywhere = await hitRateLimit(this.redis, keys.everywhere, SIGN_IN_POLICY.attemptsPerNumber, WINDOW_MS);
    if (!everywhere.allowed) return { locked: seconds(everywhere.retryAfterMs) };
    const addressLeft = SIGN_IN_POLICY.attemptsPerAddress - fromAddress.hits;
    const numberLeft = SIGN_IN_POLICY.attemptsPerNumber - everywhere.hits;
    return addressLeft <= numberLeft
      ? { left: addressLeft, lockSeconds: seconds(fromAddress.retryAfterMs) }
      : { left: numberLeft, lockSeconds: seconds(everywhere.retryAfterMs) };
  }

  /** The answer to a failed attempt: how many are left, or the lock this one reached. */
  refusal(allowance: Allowance): CredentialRefusal {
    return allowance.left > 0 ? { invalid: allowance.left, code: OfficialAuthErrorCode.InvalidCredentials } : { locked: allowance.lockSeconds };
  }

  /**
   * A sign-in that succeeded forgets its address's attempts and gives its own back to the
   * number's. After the commit, so best effort: a count left standing only runs out with its window.
   */
  async succeeded(phone: string, address: string): Promise<void> {
    const keys = keysOf(phone, address);
    await Promise.all([this.redis.del(keys.fromAddress), giveBackRateLimitHit(this.redis, keys.everywhere)]).catch((error: unknown) =>
      this.logger.warn({ err: error }, 'sign-in attempts not given back'),
    );
  }
}
