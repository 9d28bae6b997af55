import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { callScript, readLuaScript, REDIS, Redis, registerLuaScripts } from '@vouchers/redis';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CodeReading, readVoucherCode, signVoucherCode } from './code-format';

/** How long a code may be shown, and how far a till's or phone's clock may be off. */
export const CODE_POLICY = { ttlSeconds: 60, clockSkewSeconds: 5 } as const;
/** The nonce outlives the code, so a replay inside the skew window is still recognised. */
export const NONCE_TTL_MS = (CODE_POLICY.ttlSeconds + CODE_POLICY.clockSkewSeconds + 60) * 1000;

export const codeNonceKey = (voucherId: string) => `vcode:{v:${voucherId}}`;

export type NonceSpend = 'SPENT' | 'REPLAYED' | 'SUPERSEDED';

/**
 * Residents' checkout codes (DESIGN §6): issuance signs one and records its nonce as the
 * voucher's current one (so a new code replaces the old); redemption checks the signature
 * and spends the nonce with one Lua call, so a code works at most once, at one till. The spend
 * records the scan's id, so that scan alone can give the nonce back when it was refused for
 * something other than the code.
 */
@Injectable()
export class VoucherCodes {
  private readonly key: KeyObject;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(config.voucherCodeKey, 'utf8'));
    registerLuaScripts(redis, [readLuaScript(join(__dirname, 'spend-code.lua')), readLuaScript(join(__dirname, 'give-back-code.lua'))]);
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

  /** Spends the nonce for the scan `scanId` (unique per scan), which alone may give it back. */
  async spend(voucherId: string, nonce: string, scanId: string): Promise<NonceSpend> {
    return String(await callScript(this.redis, 'spendCode', [codeNonceKey(voucherId)], [nonce, scanId])) as NonceSpend;
  }

  /**
   * Undoes the spend of the scan `scanId`, so the same code can be scanned again; false when the
   * nonce is no longer as that scan left it (another scan spent it since, a newer code replaced
   * it, or it expired). Only for a scan that did not redeem.
   */
  async giveBack(voucherId: string, nonce: string, scanId: string): Promise<boolean> {
    return Number(await callScript(this.redis, 'giveBackCode', [codeNonceKey(voucherId)], [nonce, scanId])) === 1;
  }
}
