import { Inject, Injectable, Logger } from '@nestjs/common';
import { giveBackRateLimitHit, hitRateLimit, REDIS, Redis } from '@vouchers/redis';
import { CredentialRefusal } from './official-credentials';
import { OfficialAuthErrorCode } from './official-auth-errors';
import { SIGN_IN_POLICY } from './sign-in-policy';

const WINDOW_MS = SIGN_IN_POLICY.attemptWindowSeconds * 1000;
const KNOWN_MS = SIGN_IN_POLICY.knownAddressDays * 86_400_000;

/**
 * Who an address counts as: an IPv4 address itself; an IPv6 address by its /64, the block one
 * host usually holds whole (each of its 2^64 addresses counted alone would make the count
 * nothing).
 */
export function addressKey(address: string): string {
  const bare = address.split('%')[0];
  if (!bare.includes(':')) return bare;
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(bare)) return bare.slice(7);
  const [head, tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => (parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
}

/** A number's keys share its hash tag: one Cluster slot. */
const keysOf = (phone: string, address: string) => {
  const from = addressKey(address);
  return {
    fromAddress: `official-sign-in:{${phone}}:from:${from}`,
    everywhere: `official-sign-in:{${phone}}:all`,
    known: `official-sign-in:{${phone}}:known:${from}`,
  };
};

/** What an attempt taken leaves: how many more before the lock, and how long the window that would lock runs. */
export interface Allowance {
  left: number;
  lockSeconds: number;
  /** Whether it was counted for the number too (not at an address it signed in from lately): only then is that count given back. */
  countedForNumber: boolean;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Sign-in attempts per number, counted in Redis before anything is checked: per client address
 * (SIGN_IN_POLICY.attemptsPerAddress in the window) and over every address (attemptsPerNumber,
 * against guessing spread over many). The count is taken atomically first, so requests sent
 * at once cannot all pass a check made before any of them counted. An address the number
 * signed in from lately (knownAddressDays) is held to its own count only: a stranger who knows
 * an official's number, and not the password, locks out the addresses they use, and the
 * number everywhere else once they spend attemptsPerNumber, but not the official's own. Every
 * failure is answered from this count, whatever failed and whether the number is an
 * official's at all, so an answer tells neither.
 */
@Injectable()
export class SignInAttempts {
  private readonly logger = new Logger(SignInAttempts.name);

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Takes one attempt; the lock instead when this address, or every address, has none left. */
  async take(phone: string, address: string): Promise<Allowance | { locked: number }> {
    const keys = keysOf(phone, address);
    const fromAddress = await hitRateLimit(this.redis, keys.fromAddress, SIGN_IN_POLICY.attemptsPerAddress, WINDOW_MS);
    if (!fromAddress.allowed) return { locked: seconds(fromAddress.retryAfterMs) };
    const addressLeft = { left: SIGN_IN_POLICY.attemptsPerAddress - fromAddress.hits, lockSeconds: seconds(fromAddress.retryAfterMs) };
    if ((await this.redis.exists(keys.known)) === 1) return { ...addressLeft, countedForNumber: false };
    const everywhere = await hitRateLimit(this.redis, keys.everywhere, SIGN_IN_POLICY.attemptsPerNumber, WINDOW_MS);
    if (!everywhere.allowed) {
      // Nothing is checked: the address's attempt is given back, so its own window does not outlast this one.
      await giveBackRateLimitHit(this.redis, keys.fromAddress);
      return { locked: seconds(everywhere.retryAfterMs) };
    }
    const numberLeft = { left: SIGN_IN_POLICY.attemptsPerNumber - everywhere.hits, lockSeconds: seconds(everywhere.retryAfterMs) };
    return { ...(addressLeft.left <= numberLeft.left ? addressLeft : numberLeft), countedForNumber: true };
  }

  /** The answer to a failed attempt: how many are left, or the lock this one reached. */
  refusal(allowance: Allowance): CredentialRefusal {
    return allowance.left > 0 ? { invalid: allowance.left, code: OfficialAuthErrorCode.InvalidCredentials } : { locked: allowance.lockSeconds };
  }

  /** An attempt that checked nothing (the database did not answer) is given back, to the counts it was taken from; best effort. */
  async giveBack(phone: string, address: string, taken: Allowance): Promise<void> {
    const keys = keysOf(phone, address);
    const counts = taken.countedForNumber ? [keys.fromAddress, keys.everywhere] : [keys.fromAddress];
    await Promise.all(counts.map((key) => giveBackRateLimitHit(this.redis, key))).catch(
      (error: unknown) => this.logger.warn({ err: error }, 'sign-in attempt not given back'),
    );
  }

  /**
   * A sign-in that succeeded (by password and code, or by finishing an activation: `taken` null)
   * forgets its address's attempts, gives its own back to the number's count if it was taken
   * from it, and marks the address known. After the commit, so best effort: a count left
   * standing only runs out with its window.
   */
  async succeeded(phone: string, address: string, taken: Allowance | null): Promise<void> {
    const keys = keysOf(phone, address);
    await Promise.all([
      this.redis.del(keys.fromAddress),
      taken?.countedForNumber ? giveBackRateLimitHit(this.redis, keys.everywhere) : Promise.resolve(),
      this.redis.set(keys.known, '1', 'PX', KNOWN_MS),
    ]).catch((error: unknown) => this.logger.warn({ err: error }, 'sign-in attempts not given back'));
  }
}
