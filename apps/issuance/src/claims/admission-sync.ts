import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { Campaign, Round } from '@vouchers/database';
import { REDIS, Redis } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import { admissionKeys, stateIdsOf } from './admission-keys';
import { admitsGrabs, CampaignLife, lifeOf, RENEW_WITHIN_MS, stateExpiry } from './admission-lifetime';
import { eachStateKey, withStateLock } from './admission-state';

/** A new expiry closer than this to the one in place is not worth touching every key for. */
const SLACK_MS = 60_000;

/** Sets the status and the ttl in the meta only while the state is loaded: never a meta without its marker. */
const SET_META = `if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[2], 'status', ARGV[1])
  if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], 'ttl', ARGV[2]) end
  return 1
end
return 0`;

/** The expiry the state should move to, or null to leave it: renew a live campaign without an end when due, never stretch an ended one. */
function newExpiry(life: CampaignLife, current: number, now: number): number | null {
  const target = stateExpiry(life, now);
  if (!admitsGrabs(life, now)) return current > target + SLACK_MS ? target : null;
  if (life.endsAt === null) return current - now < RENEW_WITHIN_MS ? target : null;
  return Math.abs(target - current) >= SLACK_MS ? target : null;
}

/**
 * Brings a loaded campaign's admission state in line with Postgres: its status, and the expiry
 * of every key (admission-lifetime): a day after an end, renewed ahead for a live campaign
 * without one. Called after every status move and, for each open or lately ended campaign, on
 * every tick of the watch, which so repairs a move whose Redis half failed. Under the state lock
 * that rebuilds take, so a rebuild, a renewal and a move never write over one another. The
 * marker (`loaded`) is moved last and its expiry is what the next call reads: a move cut short
 * is simply done again.
 */
@Injectable()
export class AdmissionSync {
  private readonly logger = new Logger(AdmissionSync.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Waits up to `waitMs` for a rebuild or another sync under way; resolves false when it could not run or the state is not loaded. */
  async follow(campaignId: string, waitMs = 0): Promise<boolean> {
    return (await withStateLock(this.redis, campaignId, waitMs, () => this.followLocked(campaignId))) ?? false;
  }

  private async followLocked(campaignId: string): Promise<boolean> {
    const keys = admissionKeys(campaignId);
    const current = await this.redis.pexpiretime(keys.loaded);
    if (current <= 0) return false; // not loaded: the rebuild writes both
    const campaign: (Pick<Campaign, 'status' | 'validUntil'> & { closes: Array<Round['closesAt']>; buckets: number }) | undefined = await this.db.manager
      .createQueryBuilder(Campaign, 'c')
      .innerJoin(Round, 'r', 'r.campaignId = c.id')
      .select('c.status', 'status')
      .addSelect('c.validUntil', 'validUntil')
      .addSelect('array_agg(r.closesAt)', 'closes')
      .addSelect('max(r.stockBuckets)::int', 'buckets')
      .where('c.publicId = :campaignId', { campaignId })
      .groupBy('c.id')
      .getRawOne();
    if (!campaign) return false;
    const { life } = lifeOf(campaign.status, campaign.validUntil, campaign.closes);
    const expiresAt = newExpiry(life, current, Date.now());
    // In a campaign of stock buckets each bucket is a state of its own (its marker, meta, keys), moved alike; the campaign's marker last.
    const states = stateIdsOf(campaignId, campaign.buckets);
    // The script gives new person records the meta's ttl, so it goes first: the index then lists every older key.
    for (const stateId of states) {
      const state = admissionKeys(stateId);
      if (Number(await this.redis.eval(SET_META, 2, state.loaded, state.meta, life.status, expiresAt ?? '')) !== 1) return false;
    }
    if (expiresAt === null) return true;
    for (const stateId of [...new Set([campaignId, ...states])]) {
      await eachStateKey(
        this.redis,
        stateId,
        async (found) => {
          const pipeline = this.redis.pipeline();
          for (const key of found) pipeline.pexpireat(key, expiresAt);
          await pipeline.exec();
        },
        [keys.loaded],
      );
    }
    await this.redis.pexpireat(keys.loaded, expiresAt);
    this.logger.log(`admission state of campaign ${campaignId} now expires at ${new Date(expiresAt).toISOString()}`);
    return true;
  }
}
