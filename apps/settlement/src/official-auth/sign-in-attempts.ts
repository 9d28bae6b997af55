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

/** A number's count at one address (its key by the address's key, addressKey). */
const fromAddressKey = (phone: string, from: string) => `official-sign-in:{${phone}}:from:${from}`;

/** The number's keys of its own, whatever the address. */
const numberKeys = (phone: string) => ({
  everywhere: `official-sign-in:{${phone}}:all`,
  /** The addresses the number was counted at in the window: what an administrator's fresh start forgets (no SCAN). */
  addresses: `official-sign-in:{${phone}}:addresses`,
});

/** A number's keys share its hash tag (one Cluster slot); the address's count over every number has its own. */
const keysOf = (phone: string, address: string) => {
  const from = addressKey(address);
  return {
    ...numberKeys(phone),
    from,
    fromAddress: fromAddressKey(phone, from),
    known: `official-sign-in:{${phone}}:known:${from}`,
    overNumbers: `official-sign-in-address:{${from}}`,
  };
};

/** What an attempt taken leaves: how many more before the lock, and how long the window that would lock runs. */
export interface Allowance {
  left: number;
  lockSeconds: number;
  /** Whether it was counted for the number from every address (not at an address it signed in from lately): only then is that count given back. */
  countedForNumber: boolean;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Sign-in attempts, counted in Redis before anything is checked: per number and client address
 * (SIGN_IN_POLICY.attemptsPerAddress in the window), per address over every number
 * (attemptsPerAddressOverNumbers, against one address trying a few passwords on each of many
 * numbers, and spending the server's password hashing on made-up ones) and per number over
 * every address (attemptsPerNumber, against guessing spread over many addresses). Each count
 * is taken atomically first, so requests sent at once cannot all pass a check made before any
 * of them counted. An address the number signed in from lately (knownAddressDays) is spared
 * the number's count over every address: a stranger who knows an official's number, and not
 * the password, locks out the addresses they use, and the number everywhere else once they
 * spend attemptsPerNumber, but not the official's own. The address's count over every number
 * spares no one: sparing the numbers that sign in there would tell a stranger sharing the
 * address (an office's, a carrier's) which numbers those are, so that stranger can lock the
 * address out of every number until the window ends. Every failure is answered from these
 * counts, whatever failed and whether the number is an official's at all, so an answer tells
 * neither.
 */
@Injectable()
export class SignInAttempts {
  private readonly logger = new Logger(SignInAttempts.name);

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Takes one attempt; the lock instead when any count it is taken from has none left. */
  async take(phone: string, address: string): Promise<Allowance | { locked: number }> {
    const keys = keysOf(phone, address);
    const known = (await this.redis.exists(keys.known)) === 1;
    const counts: Array<[string, number]> = [
      [keys.fromAddress, SIGN_IN_POLICY.attemptsPerAddress],
      [keys.overNumbers, SIGN_IN_POLICY.attemptsPerAddressOverNumbers],
      ...(known ? [] : ([[keys.everywhere, SIGN_IN_POLICY.attemptsPerNumber]] as Array<[string, number]>)),
    ];
    // Taken in turn. One with none left gives back those taken before it, so their windows do
    // not outlast its lock; and if Redis fails part-way, what was taken goes back: nothing was checked.
    const taken: string[] = [];
    let tightest = { left: Infinity, lockSeconds: 0 };
    try {
      await this.redis.multi().sadd(keys.addresses, keys.from).pexpire(keys.addresses, WINDOW_MS).exec();
      for (const [key, limit] of counts) {
        const count = await hitRateLimit(this.redis, key, limit, WINDOW_MS);
        if (!count.allowed) {
          await this.giveBackTo(taken);
          return { locked: seconds(count.retryAfterMs) };
        }
        taken.push(key);
        if (limit - count.hits < tightest.left) tightest = { left: limit - count.hits, lockSeconds: seconds(count.retryAfterMs) };
      }
    } catch (error) {
      await this.giveBackTo(taken);
      throw error;
    }
    return { ...tightest, countedForNumber: !known };
  }

  /** The answer to a failed attempt: how many are left, or the lock this one reached. */
  refusal(allowance: Allowance, code = OfficialAuthErrorCode.InvalidCredentials): CredentialRefusal {
    return allowance.left > 0 ? { invalid: allowance.left, code } : { locked: allowance.lockSeconds };
  }

  /** An attempt that guessed nothing (a right activation code, or the database did not answer) is given back, to the counts it was taken from; best effort. */
  async giveBack(phone: string, address: string, taken: Allowance): Promise<void> {
    const keys = keysOf(phone, address);
    await this.giveBackTo([keys.fromAddress, keys.overNumbers, ...(taken.countedForNumber ? [keys.everywhere] : [])]);
  }

  /**
   * A sign-in that succeeded (by password and code, or by finishing an activation: `taken` null,
   * its attempt given back already) forgets its address's attempts at the number, gives its own
   * back to the wider counts it was taken from, and marks the address known. After the commit,
   * so best effort: a count left standing only runs out with its window.
   */
  async succeeded(phone: string, address: string, taken: Allowance | null): Promise<void> {
    const keys = keysOf(phone, address);
    const givenBack = taken === null ? [] : [keys.overNumbers, ...(taken.countedForNumber ? [keys.everywhere] : [])];
    await Promise.all([
      this.redis.del(keys.fromAddress),
      ...givenBack.map((key) => giveBackRateLimitHit(this.redis, key)),
      this.redis.set(keys.known, '1', 'PX', KNOWN_MS),
    ]).catch((error: unknown) => this.logger.warn({ err: error }, 'sign-in attempts not given back'));
  }

  /**
   * An administrator gave the account a new activation code (a reset, or enabling it again): the
   * number's counts start afresh, at every address it was counted at and over all of them, so its
   * holder is not kept out by the attempts that led to the reset (their own mistyping, or a
   * stranger's guessing) until the window ends. The addresses' counts over every number stay:
   * they are the addresses', not the number's. After the commit, so best effort.
   */
  async startAfresh(phone: string): Promise<void> {
    const keys = numberKeys(phone);
    try {
      const addresses = await this.redis.smembers(keys.addresses);
      await this.redis.del(keys.everywhere, keys.addresses, ...addresses.map((from) => fromAddressKey(phone, from)));
    } catch (error) {
      this.logger.warn({ err: error }, "the number's sign-in counts not cleared");
    }
  }

  private async giveBackTo(counts: string[]): Promise<void> {
    await Promise.all(counts.map((key) => giveBackRateLimitHit(this.redis, key))).catch(
      (error: unknown) => this.logger.warn({ err: error }, 'sign-in attempt not given back'),
    );
  }
}
