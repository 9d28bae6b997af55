import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { REDIS, Redis } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import { AdmissionLoader } from './admission-loader';
import { admissionKeys, parsePendingMember } from './admission-keys';
import { AdmissionStore } from './admission.store';
import { AdmissionSync } from './admission-sync';
import { CLAIM_INSERT_TIMEOUT_MS } from './claim-writer';

const WATCH_EVERY_MS = 2_000;
/** Far beyond the longest a claim can take to commit (pool wait + lock + statement timeouts). */
export const ABANDONED_AFTER_MS = 6 * CLAIM_INSERT_TIMEOUT_MS;

/**
 * Background duties for open campaigns:
 * - notices missing admission state (Redis restarted or flushed) and rebuilds it from Postgres;
 * - keeps the state's status and expiry in line with Postgres (AdmissionSync), for lately
 *   ended campaigns too;
 * - the sweeper: releases reservations a crashed process left behind, once it sees their
 *   rows never reached Postgres, and trims those that did.
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
    @Inject(AdmissionStore) private readonly store: AdmissionStore,
    @Inject(AdmissionSync) private readonly sync: AdmissionSync,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), WATCH_EVERY_MS);
    this.timer.unref();
    void this.tick();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      // Open campaigns, and those ended lately: a move whose Redis half failed is repaired here.
      const campaigns: Array<{ public_id: string; status: string }> = await this.db.query(
        `SELECT public_id, status FROM campaigns
          WHERE status IN ('scheduled', 'active', 'paused') OR (status = 'ended' AND updated_at > now() - interval '2 days')`,
      );
      for (const { public_id: campaignId, status } of campaigns) {
        if (status === 'ended') {
          await this.sync.follow(campaignId);
          continue;
        }
        await this.loader.ensureLoaded(campaignId);
        await this.sync.follow(campaignId);
        await this.sweep(campaignId, Date.now() - ABANDONED_AFTER_MS);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'admission watch tick failed');
    } finally {
      this.ticking = false;
    }
  }

  /** Releases or trims reservations older than `before` (unix ms); returns how many were released. */
  async sweep(campaignId: string, before: number): Promise<number> {
    const keys = admissionKeys(campaignId);
    const generation = await this.store.generationOf(campaignId);
    if (generation === null) return 0;
    const members = await this.redis.zrangebyscore(keys.pending, 0, before, 'LIMIT', 0, 500);
    const reservations = members.map(parsePendingMember).filter((r) => r !== null);
    if (reservations.length === 0) return 0;
    const found: Array<{ public_id: string }> = await this.db.query(
      'SELECT public_id FROM vouchers WHERE public_id = ANY($1::uuid[])',
      [reservations.map((r) => r.voucherId)],
    );
    const committed = new Set(found.map((row) => row.public_id));
    await this.store.forget(campaignId, reservations.filter((r) => committed.has(r.voucherId)));
    let released = 0;
    for (const reservation of reservations.filter((r) => !committed.has(r.voucherId))) {
      if (await this.store.release(campaignId, reservation, generation)) released += 1;
    }
    if (released > 0) this.logger.warn(`released ${released} abandoned reservations of campaign ${campaignId}`);
    return released;
  }
}
