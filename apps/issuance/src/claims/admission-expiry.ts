import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { REDIS, Redis } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import { admissionKeys } from './admission-keys';
import { admitsGrabs, lifeOf, RENEW_WITHIN_MS, stateExpiry } from './admission-lifetime';
import { eachStateKey, withStateLock } from './admission-state';

/** A new expiry closer than this to the one in place is not worth touching every key for. */
const SLACK_MS = 60_000;
/** How long a status move waits for a rebuild or renewal of the same campaign to finish. */
const MOVE_WAITS_MS = 10_000;

/** Sets the meta's ttl only while the state is loaded: never a meta without its marker and expiry. */
const SET_TTL = "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[2], 'ttl', ARGV[1]) return 1 end return 0";

/**
 * Moves the expiry of a loaded campaign's admission state, every key of it, to what the
 * campaign's status and rounds call for now (admission-lifetime): after a status move, and,
 * from the watch, to renew a live campaign without an end. Under the state lock, so a rebuild,
 * a renewal and a move never write over one another. The marker (`loaded`) is moved last and
 * its expiry is what the next call reads: a renewal cut short is simply done again.
 */
@Injectable()
export class AdmissionExpiry {
  private readonly logger = new Logger(AdmissionExpiry.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** After a status move: waits for a rebuild or renewal under way. Resolves true when it moved anything. */
  async afterMove(campaignId: string): Promise<boolean> {
    return (await withStateLock(this.redis, campaignId, MOVE_WAITS_MS, () => this.retime(campaignId, false))) ?? false;
  }

  /** From the watch: renews a live campaign without an end once less than RENEW_WITHIN_MS is left. */
  async renewIfDue(campaignId: string): Promise<boolean> {
    const keys = admissionKeys(campaignId);
    const [endless, current] = await Promise.all([this.redis.hget(keys.meta, 'open'), this.redis.pexpiretime(keys.loaded)]);
    if (endless !== '1' || current <= 0 || current - Date.now() >= RENEW_WITHIN_MS) return false;
    return (await withStateLock(this.redis, campaignId, 0, () => this.retime(campaignId, true))) ?? false;
  }

  private async retime(campaignId: string, renewing: boolean): Promise<boolean> {
    const keys = admissionKeys(campaignId);
    const current = await this.redis.pexpiretime(keys.loaded);
    if (current <= 0) return false; // not loaded: the rebuild sets it
    const rows: Array<{ status: string; valid_until: Date | null; closes: Array<Date | null> }> = await this.db.query(
      `SELECT c.status, c.valid_until, array_agg(r.closes_at) AS closes
         FROM campaigns c JOIN rounds r ON r.campaign_id = c.id
        WHERE c.public_id = $1 GROUP BY c.id`,
      [campaignId],
    );
    if (rows.length === 0) return false;
    const now = Date.now();
    const { life } = lifeOf(rows[0].status, rows[0].valid_until, rows[0].closes);
    const expiresAt = stateExpiry(life, now);
    if (Math.abs(expiresAt - current) < SLACK_MS) return false;
    if (renewing && (!admitsGrabs(life, now) || expiresAt < current)) return false;
    // The script gives new person records the meta's ttl, so it goes first: the scan then finds every older key.
    if (Number(await this.redis.eval(SET_TTL, 2, keys.loaded, keys.meta, expiresAt)) !== 1) return false;
    await eachStateKey(
      this.redis,
      this.config.redisKeyPrefix,
      campaignId,
      async (found) => {
        const pipeline = this.redis.pipeline();
        for (const key of found) pipeline.pexpireat(key, expiresAt);
        await pipeline.exec();
      },
      [keys.loaded],
    );
    await this.redis.pexpireat(keys.loaded, expiresAt);
    this.logger.log(`admission state of campaign ${campaignId} now expires at ${new Date(expiresAt).toISOString()}`);
    return true;
  }
}
