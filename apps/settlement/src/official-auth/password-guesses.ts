import { Inject, Injectable } from '@nestjs/common';
import { hitRateLimit, REDIS, Redis } from '@vouchers/redis';
import { CredentialRefusal } from './official-credentials';
import { OfficialAuthErrorCode } from './official-auth-errors';
import { SIGN_IN_POLICY } from './sign-in-policy';

const WINDOW_MS = SIGN_IN_POLICY.guessWindowSeconds * 1000;

/** A number's counters share its hash tag: one Cluster slot, read in one MGET. */
const keysOf = (phone: string, address: string) => ({
  fromAddress: `official-sign-in:{${phone}}:from:${address}`,
  everywhere: `official-sign-in:{${phone}}:all`,
});

/**
 * Wrong passwords at sign-in, counted per number in Redis: per client address (the fifth from
 * one address locks the number to that address for the window) and over every address (a
 * higher bar, against guessing spread over many). A stranger who knows an official's number
 * and not the password can so lock only themselves out, where counting on the account locked
 * the official out too. A number that is no official's is counted the same way, so its answers
 * (attempts left, then the lock) tell nothing of whether an account exists. Wrong TOTP codes
 * after a right password stay on the account in Postgres (SIGN_IN_POLICY.maxFailures): whoever
 * sends them knows the password.
 */
@Injectable()
export class PasswordGuesses {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** The lock in force for this number from this address, if any: checked before the password is. */
  async lockFor(phone: string, address: string): Promise<CredentialRefusal | null> {
    const keys = keysOf(phone, address);
    const [fromAddress, everywhere] = await this.redis.mget(keys.fromAddress, keys.everywhere);
    const locked =
      Number(fromAddress ?? 0) >= SIGN_IN_POLICY.guessesPerAddress ? keys.fromAddress
      : Number(everywhere ?? 0) >= SIGN_IN_POLICY.guessesPerNumber ? keys.everywhere
      : null;
    if (locked === null) return null;
    return { locked: Math.max(1, Math.ceil((await this.redis.pttl(locked)) / 1000)) };
  }

  /** Counts one wrong password and says what to answer: the attempts left, or the lock it reached. */
  async wrong(phone: string, address: string): Promise<CredentialRefusal> {
    const keys = keysOf(phone, address);
    const fromAddress = await hitRateLimit(this.redis, keys.fromAddress, SIGN_IN_POLICY.guessesPerAddress, WINDOW_MS);
    const everywhere = await hitRateLimit(this.redis, keys.everywhere, SIGN_IN_POLICY.guessesPerNumber, WINDOW_MS);
    const left = Math.min(SIGN_IN_POLICY.guessesPerAddress - fromAddress.hits, SIGN_IN_POLICY.guessesPerNumber - everywhere.hits);
    if (left > 0) return { invalid: left, code: OfficialAuthErrorCode.InvalidCredentials };
    const ttl = SIGN_IN_POLICY.guessesPerAddress - fromAddress.hits <= 0 ? fromAddress.retryAfterMs : everywhere.retryAfterMs;
    return { locked: Math.max(1, Math.ceil(ttl / 1000)) };
  }

  /** A right password from this address forgets its wrong ones. */
  async forget(phone: string, address: string): Promise<void> {
    await this.redis.del(keysOf(phone, address).fromAddress);
  }
}
