import { Inject, Injectable, Logger } from '@nestjs/common';
import { Voucher } from '@vouchers/database';
import { REDIS, Redis } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import { admissionKeys, parsePendingMember, PendingReservation } from './admission-keys';
import { CLAIM_CONNECTIONS } from './abandoned-reservations.sql';
import { AdmissionStore } from './admission.store';
import { claimConnectionName, lifeKey, ProcessLife } from './process-life';

/** A reservation younger than this is left alone: its maker, alive a moment ago, is likely writing it. */
const ORPHAN_MIN_AGE_MS = 1_000;
/** Reservations read a pass: bounded, as each is one Redis call to release. */
const READ_PER_PASS = 2_000;

/**
 * Reservations whose rows never reached Postgres, given back; those whose rows did, trimmed.
 *
 * Two ways to know a reservation is abandoned:
 * - orphans: its maker's life is over (ProcessLife: no heartbeat in Redis and no connection in
 *   Postgres, so nothing of it can still commit). Settled on the next pass of any process, a
 *   restarted one's first pass included: seconds after a crash, not the sweeper's half minute.
 * - age: older than any claim can take to commit (GrabTiming's sweepAfterMs), whoever made it; the
 *   last resort, for reservations of a life that looks alive but never finished them, and for
 *   those made before reservations named their maker.
 */
@Injectable()
export class AbandonedReservations {
  private readonly logger = new Logger(AbandonedReservations.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AdmissionStore) private readonly store: AdmissionStore,
    @Inject(ProcessLife) private readonly life: ProcessLife,
  ) {}

  /**
   * Settles reservations older than `before` (unix ms); returns how many were released. Here and
   * below `campaignId` names one admission state: the campaign's, or one of its stock buckets'
   * (admission-keys.ts), whose pending set, marker and records hold its reservations.
   */
  async sweepOlderThan(campaignId: string, before: number): Promise<number> {
    return this.settle(campaignId, await this.pendingBefore(campaignId, before), 'abandoned');
  }

  /** Settles the reservations of process lives that are over; returns how many were released. */
  async settleOrphans(campaignId: string): Promise<number> {
    const pending = await this.pendingBefore(campaignId, Date.now() - ORPHAN_MIN_AGE_MS);
    const makers = [...new Set(pending.map((r) => r.maker))].filter((maker) => maker !== '' && maker !== this.life.id);
    if (makers.length === 0) return 0;
    const over = await this.livesOver(makers);
    return this.settle(campaignId, pending.filter((r) => over.has(r.maker)), 'orphaned');
  }

  private async pendingBefore(campaignId: string, before: number): Promise<PendingReservation[]> {
    const members = await this.redis.zrangebyscore(admissionKeys(campaignId).pending, 0, before, 'LIMIT', 0, READ_PER_PASS);
    return members.map(parsePendingMember).filter((r) => r !== null);
  }

  /** Of these lives, those over: no heartbeat, then (read after it) no connection in Postgres. */
  private async livesOver(makers: string[]): Promise<Set<string>> {
    // One EXISTS a key: each life's key has a slot of its own on Redis Cluster.
    const beats = await Promise.all(makers.map((maker) => this.redis.exists(lifeKey(maker))));
    const silent = makers.filter((_, i) => beats[i] === 0);
    if (silent.length === 0) return new Set();
    // The name may follow one the database URL gives (openPgPool), so it is matched at the end.
    const connected: Array<{ name: string }> = await this.db.query(CLAIM_CONNECTIONS, [claimConnectionName('')]);
    const names = connected.map((row) => row.name);
    return new Set(silent.filter((maker) => !names.some((name) => name.endsWith(claimConnectionName(maker)))));
  }

  private async settle(campaignId: string, reservations: PendingReservation[], kind: string): Promise<number> {
    if (reservations.length === 0) return 0;
    const generation = await this.store.generationOf(campaignId);
    if (generation === null) return 0;
    const found: Array<Pick<Voucher, 'publicId'>> = await this.db.manager
      .createQueryBuilder(Voucher, 'v')
      .select('v.publicId', 'publicId')
      .where('v.publicId = ANY(:ids)', { ids: reservations.map((r) => r.voucherId) })
      .getRawMany();
    const committed = new Set(found.map((row) => row.publicId));
    await this.store.forget(campaignId, reservations.filter((r) => committed.has(r.voucherId)));
    let released = 0;
    for (const reservation of reservations.filter((r) => !committed.has(r.voucherId))) {
      if (await this.store.release(campaignId, reservation, generation)) released += 1;
    }
    if (released > 0) this.logger.warn(`released ${released} ${kind} reservations of campaign ${campaignId}`);
    return released;
  }
}
