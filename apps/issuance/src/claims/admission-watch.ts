import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Campaign, Round } from '@vouchers/database';
import { REDIS, Redis } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import { AbandonedReservations } from './abandoned-reservations';
import { stateIdsOf } from './admission-keys';
import { AdmissionLoader } from './admission-loader';
import { AdmissionSync } from './admission-sync';
import { GrabTiming } from './grab-timing';
import { StaleStateCheck } from './stale-state-check';

const WATCH_EVERY_MS = 2_000;

/**
 * Background duties for open campaigns:
 * - notices missing admission state (Redis restarted or flushed) and rebuilds it from Postgres,
 *   and state that went back in time (StaleStateCheck), at every tick and as soon as Redis is back;
 * - keeps the state's status and expiry in line with Postgres (AdmissionSync), for lately
 *   ended campaigns too;
 * - releases reservations a crashed process left behind, once it sees their rows never reached
 *   Postgres, and trims those that did (AbandonedReservations): a dead process's at once, any
 *   other once it is older than any claim can take (GrabTiming's sweepAfterMs).
 */
@Injectable()
export class AdmissionWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AdmissionWatch.name);
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AdmissionLoader) private readonly loader: AdmissionLoader,
    @Inject(AdmissionSync) private readonly sync: AdmissionSync,
    @Inject(StaleStateCheck) private readonly stale: StaleStateCheck,
    @Inject(AbandonedReservations) private readonly abandoned: AbandonedReservations,
    @Inject(GrabTiming) private readonly timing: GrabTiming,
  ) {}

  /** A tick at start settles the orphans of this process's previous life (and any other's) at once. */
  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), WATCH_EVERY_MS);
    this.timer.unref();
    this.redis.on('ready', this.onRedisBack);
    void this.tick();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.redis.off('ready', this.onRedisBack);
  }

  /** Redis came back (a restart, a failover): look at once for state that is missing or old. */
  private readonly onRedisBack = () => void this.tick();

  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      // Open campaigns, and those ended lately: a move whose Redis half failed is repaired here.
      const campaigns: Array<Pick<Campaign, 'publicId' | 'status'> & { buckets: number }> = await this.db.manager
        .createQueryBuilder(Campaign, 'c')
        .select('c.publicId', 'publicId')
        .addSelect('c.status', 'status')
        .addSelect((rounds) => rounds.select('COALESCE(max(r.stockBuckets), 1)::int').from(Round, 'r').where('r.campaignId = c.id'), 'buckets')
        .where(`c.status IN ('scheduled', 'active', 'paused') OR (c.status = 'ended' AND c.updatedAt > now() - interval '2 days')`)
        .getRawMany();
      for (const { publicId: campaignId, status, buckets } of campaigns) {
        if (status === 'ended') {
          await this.sync.follow(campaignId);
          continue;
        }
        await this.loader.ensureLoaded(campaignId, buckets);
        await this.stale.check(campaignId);
        await this.sync.follow(campaignId);
        // Each bucket of stock keeps its own pending set (admission-keys.ts).
        for (const stateId of stateIdsOf(campaignId, buckets)) {
          await this.abandoned.settleOrphans(stateId);
          await this.abandoned.sweepOlderThan(stateId, Date.now() - this.timing.sweepAfterMs);
        }
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'admission watch tick failed');
    } finally {
      this.ticking = false;
    }
  }

  /** Releases or trims reservations older than `before` (unix ms), in each of the campaign's `buckets`; returns how many were released. */
  async sweep(campaignId: string, before: number, buckets = 1): Promise<number> {
    let released = 0;
    for (const stateId of stateIdsOf(campaignId, buckets)) released += await this.abandoned.sweepOlderThan(stateId, before);
    return released;
  }
}
