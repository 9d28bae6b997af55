import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { callScript, readLuaScript, REDIS, Redis, registerLuaScripts } from '@vouchers/redis';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { OTP_POLICY, OtpAudience, OtpKeys, otpKeysFor } from './otp-policy';

export type OtpCheck =
  | { outcome: 'match' }
  | { outcome: 'mismatch'; triesLeft: number }
  | { outcome: 'missing' }
  | { outcome: 'burned' };

/** Injection token of the audience an OtpModule serves. */
export const OTP_AUDIENCE = Symbol('OTP_AUDIENCE');

const CHECK_SCRIPT = 'checkOtp';

/**
 * One-time codes of one audience in Redis. Only an HMAC of the code is stored, keyed with a
 * key derived from the JWT secret (not the secret itself) and the audience, and bound to the
 * number: someone who can read Redis learns no code, and six digits are too few to hash
 * without a key. (The residents' derivation, 'resident-otp-v1', is the one used before the
 * codes moved into this lib.)
 */
@Injectable()
export class OtpStore {
  private readonly hashKey: Buffer;
  readonly keys: OtpKeys;

  constructor(
    @Inject(REDIS) private readonly client: Redis,
    @Inject(AppConfig) config: AppConfig,
    @Inject(OTP_AUDIENCE) audience: OtpAudience,
  ) {
    this.keys = otpKeysFor(audience);
    this.hashKey = createHmac('sha256', config.jwtSecret).update(`${audience}-otp-v1`).digest();
    registerLuaScripts(client, [readLuaScript(join(__dirname, 'check-otp.lua'))]);
  }

  /** Starts the resend cool-down; 0 when started, otherwise the milliseconds still to wait. */
  async startCooldown(phone: string): Promise<number> {
    const key = this.keys.cooldown(phone);
    const started = await this.client.set(key, '1', 'PX', OTP_POLICY.cooldownSeconds * 1000, 'NX');
    if (started === 'OK') return 0;
    return Math.max(1, await this.client.pttl(key));
  }

  /** Replaces any earlier code of the number (and its count of tries) with this one. */
  async save(phone: string, code: string): Promise<void> {
    const key = this.keys.code(phone);
    const replies = await this.client
      .multi()
      .del(key)
      .hset(key, { h: this.hash(phone, code), t: 0 })
      .pexpire(key, OTP_POLICY.codeTtlSeconds * 1000)
      .exec();
    const failed = replies?.find(([error]) => error !== null);
    if (!replies || failed) throw failed?.[0] ?? new Error('the one-time code was not saved');
  }

  /** Forgets a code that never reached its owner, and lets them ask again at once. */
  async discard(phone: string): Promise<void> {
    // One key a command: both carry the number's hash tag today, but nothing should depend on
    // two keys sharing a Redis Cluster slot.
    await Promise.all([this.client.del(this.keys.code(phone)), this.client.del(this.keys.cooldown(phone))]);
  }

  /** Checks a code, counting the try; a match uses the code up unless `consume` is false. */
  async check(phone: string, code: string, consume = true): Promise<OtpCheck> {
    const reply = await callScript(this.client, CHECK_SCRIPT, [this.keys.code(phone)], [
      this.hash(phone, code),
      OTP_POLICY.maxTries,
      consume ? 1 : 0,
    ]);
    if (!Array.isArray(reply)) throw new Error(`${CHECK_SCRIPT} answered ${JSON.stringify(reply)}, not { outcome, tries }`);
    const [outcome, tries] = reply;
    switch (Number(outcome)) {
      case 1:
        return { outcome: 'match' };
      case 0:
        return { outcome: 'mismatch', triesLeft: OTP_POLICY.maxTries - Number(tries) };
      case -2:
        return { outcome: 'burned' };
      default:
        return { outcome: 'missing' };
    }
  }

  private hash(phone: string, code: string): string {
    return createHmac('sha256', this.hashKey).update(`${phone}:${code}`).digest('hex');
  }
}
