import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { callScript, readLuaScript, REDIS, Redis, registerLuaScripts } from '@vouchers/redis';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { OTP_POLICY, otpKeys } from './otp-policy';

export type OtpCheck =
  | { outcome: 'match' }
  | { outcome: 'mismatch'; triesLeft: number }
  | { outcome: 'missing' }
  | { outcome: 'burned' };

const CHECK_SCRIPT = 'checkResidentOtp';

/**
 * One-time codes in Redis. Only an HMAC of the code is stored, keyed with a key derived
 * from the JWT secret (not the secret itself), and bound to the number: someone who can
 * read Redis learns no code, and six digits are too few to hash without a key.
 */
@Injectable()
export class OtpStore {
  private readonly hashKey: Buffer;

  constructor(
    @Inject(REDIS) private readonly client: Redis,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.hashKey = createHmac('sha256', config.jwtSecret).update('resident-otp-v1').digest();
    registerLuaScripts(client, [readLuaScript(join(__dirname, 'check-resident-otp.lua'))]);
  }

  /** Starts the resend cool-down; 0 when started, otherwise the milliseconds still to wait. */
  async startCooldown(phone: string): Promise<number> {
    const key = otpKeys.cooldown(phone);
    const started = await this.client.set(key, '1', 'PX', OTP_POLICY.cooldownSeconds * 1000, 'NX');
    if (started === 'OK') return 0;
    return Math.max(1, await this.client.pttl(key));
  }

  /** Replaces any earlier code of the number (and its count of tries) with this one. */
  async save(phone: string, code: string): Promise<void> {
    const key = otpKeys.code(phone);
    const replies = await this.client
      .multi()
      .del(key)
      .hset(key, { h: this.hash(phone, code), t: 0 })
      .pexpire(key, OTP_POLICY.codeTtlSeconds * 1000)
      .exec();
    const failed = replies?.find(([error]) => error !== null);
    if (!replies || failed) throw failed?.[0] ?? new Error('the one-time code was not saved');
  }

  /** Forgets a code that never reached the resident, and lets them ask again at once. */
  async discard(phone: string): Promise<void> {
    await this.client.del(otpKeys.code(phone), otpKeys.cooldown(phone));
  }

  async check(phone: string, code: string): Promise<OtpCheck> {
    const reply = await callScript(this.client, CHECK_SCRIPT, [otpKeys.code(phone)], [
      this.hash(phone, code),
      OTP_POLICY.maxTries,
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
