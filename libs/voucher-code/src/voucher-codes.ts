import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { callScript, readLuaScript, REDIS, Redis, registerLuaScripts } from '@vouchers/redis';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CodeReading, readVoucherCode, signVoucherCode } from './code-format';

/** How long a code may be shown, and how far a till's or phone's clock may be off. */
export const CODE_POLICY = { ttlSeconds: 60, clockSkewSeconds: 5 } as const;
/** The nonce outlives the code, so a replay inside the skew window is still recognised. */
const NONCE_TTL_MS = (CODE_POLICY.ttlSeconds + CODE_POLICY.clockSkewSeconds + 60) * 1000;

export const codeNonceKey = (voucherId: string) => `vcode:{v:${voucherId}}`;

export type NonceSpend = 'SPENT' | 'REPLAYED' | 'SUPERSEDED';

/**
 * Residents' checkout codes (DESIGN §6): issuance signs one and records its nonce as the
 * voucher's current one (so a new code replaces the old); redemption checks the signature
 * and spends the nonce with one Lua call, so a code works at most once, at one till.
 */
@Injectable()
export class VoucherCodes {
  private readonly key: KeyObject;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(config.voucherCodeKey, 'utf8'));
    registerLuaScripts(redis, [readLuaScript(join(__dirname, 'spend-code.lua')), readLuaScript(join(__dirname, 'restore-code.lua'))]);
  }

  async issue(voucherId: string, residentId: string, now = Date.now()): Promise<{ code: string; expiresAt: Date }> {
    const expiresAt = Math.floor(now / 1000) + CODE_POLICY.ttlSeconds;
    const nonce = randomBytes(8).toString('hex');
    await this.redis.set(codeNonceKey(voucherId), nonce, 'PX', NONCE_TTL_MS);
    return { code: signVoucherCode({ voucherId, residentId, expiresAt, nonce }, this.key), expiresAt: new Date(expiresAt * 1000) };
  }

  read(code: unknown): CodeReading {
    return readVoucherCode(code, this.key);
  }

  isExpired(expiresAt: number, now = Date.now()): boolean {
    return expiresAt + CODE_POLICY.clockSkewSeconds <= Math.floor(now / 1000);
  }

  async spend(voucherId: string, nonce: string): Promise<NonceSpend> {
    return String(await callScript(this.redis, 'spendCode', [codeNonceKey(voucherId)], [nonce])) as NonceSpend;
  }

  /** Undoes this scan's spend when the redemption failed to save (not when it was refused). */
  async restore(voucherId: string, nonce: string): Promise<boolean> {
    return Number(await callScript(this.redis, 'restoreCode', [codeNonceKey(voucherId)], [nonce])) === 1;
  }
}
