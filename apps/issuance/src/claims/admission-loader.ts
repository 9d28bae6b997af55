import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { REDIS, Redis } from '@vouchers/redis';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { admissionKeys } from './admission-keys';

const REBUILD_LOCK_MS = 120_000;
const DAY_MS = 86_400_000;
const PERSON_CHUNK = 20_000;

interface CampaignRow {
  id: string;
  status: string;
  per_person_limit: number;
  budget_fen: string;
  ends_at: Date | null;
}

interface RoundRow {
  public_id: string;
  quantity: number;
  opens_at: Date;
  closes_at: Date | null;
  face_value_fen: string;
  claimed: string;
}

interface ClaimRow {
  id: string;
  resident: string;
  round: string;
  voucher: string;
  person_seq: number;
  idempotency_key: string | null;
}

/**
 * Builds a campaign's admission state in Redis from Postgres, the truth (invariant 7).
 * Used when a campaign opens and whenever the state is missing (Redis restarted or was
 * flushed). A Redis lock keeps processes from rebuilding at once; bumping the generation in
 * Postgres waits for claim inserts in flight and turns away any that carry the old one.
 */
@Injectable()
export class AdmissionLoader {
  private readonly logger = new Logger(AdmissionLoader.name);
  private readonly running = new Map<string, Promise<boolean>>();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Starts a rebuild unless one runs in this process already; resolves true when this call rebuilt. */
  rebuild(campaignId: string): Promise<boolean> {
    const running = this.running.get(campaignId);
    if (running) return running;
    const work = this.rebuildLocked(campaignId).finally(() => this.running.delete(campaignId));
    this.running.set(campaignId, work);
    return work;
  }

  /** Rebuilds when the marker is missing; a loaded campaign is left alone. */
  async ensureLoaded(campaignId: string): Promise<void> {
    if ((await this.redis.exists(admissionKeys(campaignId).loaded)) === 0) await this.rebuild(campaignId);
  }

  private async rebuildLocked(campaignId: string): Promise<boolean> {
    const keys = admissionKeys(campaignId);
    const token = randomUUID();
    if ((await this.redis.set(keys.rebuildLock, token, 'PX', REBUILD_LOCK_MS, 'NX')) !== 'OK') return false;
    try {
      const started = Date.now();
      const generation = await this.db.transaction((manager) => this.readAndWrite(manager, campaignId));
      if (generation === null) return false;
      this.logger.log(`admission state of campaign ${campaignId} rebuilt (generation ${generation}) in ${Date.now() - started} ms`);
      return true;
    } finally {
      // Compare-and-delete, so a lock that expired and was taken by another process stays theirs.
      await this.redis.eval(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
        1,
        keys.rebuildLock,
        token,
      );
    }
  }

  private async readAndWrite(manager: EntityManager, campaignId: string): Promise<string | null> {
    await manager.query('SET LOCAL statement_timeout = 0');
    const [campaign]: CampaignRow[] = await manager.query(
      `SELECT c.id, c.status, c.per_person_limit, c.budget_fen,
              GREATEST(c.valid_until, (SELECT max(COALESCE(r.closes_at, r.opens_at)) FROM rounds r WHERE r.campaign_id = c.id)) AS ends_at
         FROM campaigns c WHERE c.public_id = $1`,
      [campaignId],
    );
    if (!campaign) return null;
    // Waits for inserts holding the old generation (FOR SHARE), then fences them out.
    const [{ generation }]: Array<{ generation: string }> = await manager.query(
      `INSERT INTO campaign_admission (campaign_id, generation) VALUES ($1, 1)
       ON CONFLICT (campaign_id) DO UPDATE SET generation = campaign_admission.generation + 1
       RETURNING generation`,
      [campaign.id],
    );
    const rounds: RoundRow[] = await manager.query(
      `SELECT r.public_id, r.quantity, r.opens_at, r.closes_at, t.face_value_fen,
              (SELECT count(*) FROM vouchers v WHERE v.round_id = r.id) AS claimed
         FROM rounds r JOIN voucher_types t ON t.id = r.voucher_type_id
        WHERE r.campaign_id = $1`,
      [campaign.id],
    );
    const [{ spent }]: Array<{ spent: string }> = await manager.query(
      `SELECT COALESCE(sum(face_value_fen), 0) AS spent FROM vouchers WHERE campaign_id = $1`,
      [campaign.id],
    );
    // Per-person state lives until a day after the campaign's last round or fixed end.
    const expiresAt = (campaign.ends_at ? new Date(campaign.ends_at).getTime() : Date.now() + 90 * DAY_MS) + DAY_MS;

    const keys = admissionKeys(campaignId);
    await this.clear(campaignId);
    const pipeline = this.redis.pipeline();
    pipeline.hset(keys.meta, {
      status: campaign.status,
      limit: campaign.per_person_limit,
      budget: Number(campaign.budget_fen) - Number(spent),
      ttl: expiresAt,
    });
    pipeline.pexpireat(keys.meta, expiresAt);
    for (const round of rounds) {
      const key = keys.round(round.public_id);
      pipeline.hset(key, {
        stock: round.quantity - Number(round.claimed),
        opens: new Date(round.opens_at).getTime(),
        closes: round.closes_at ? new Date(round.closes_at).getTime() : 0,
        face: Number(round.face_value_fen),
      });
      pipeline.pexpireat(key, expiresAt);
    }
    await pipeline.exec();
    await this.loadPeople(manager, campaign.id, campaignId, expiresAt);
    await this.redis.set(keys.loaded, generation, 'PXAT', expiresAt);
    return generation;
  }

  /** Streams the campaign's claims in keyset chunks, so a round of millions stays in bounded memory. */
  private async loadPeople(manager: EntityManager, internalId: string, campaignId: string, expiresAt: number): Promise<void> {
    let after = '0';
    for (;;) {
      const rows: ClaimRow[] = await manager.query(
        `SELECT v.id, res.public_id AS resident, r.public_id AS round, v.public_id AS voucher, v.person_seq, v.idempotency_key
           FROM vouchers v
           JOIN residents res ON res.id = v.resident_id
           JOIN rounds r ON r.id = v.round_id
          WHERE v.campaign_id = $1 AND v.id > $2
          ORDER BY v.id
          LIMIT $3`,
        [internalId, after, PERSON_CHUNK],
      );
      if (rows.length === 0) return;
      const pipeline = this.redis.pipeline();
      for (const row of rows) {
        const key = admissionKeys(campaignId).person(row.resident);
        const fields: Record<string, string | number> = {
          [`r:${row.round}`]: row.voucher,
          [`s:${row.person_seq}`]: row.round,
          [`v:${row.voucher}`]: row.person_seq,
        };
        if (row.idempotency_key) fields[`k:${row.idempotency_key}`] = `${row.round}|${row.voucher}`;
        pipeline.hset(key, fields);
        pipeline.pexpireat(key, expiresAt);
      }
      await pipeline.exec();
      after = rows[rows.length - 1].id;
    }
  }

  /** Deletes whatever state a previous generation left (SCAN patterns are not prefixed by ioredis). */
  private async clear(campaignId: string): Promise<void> {
    const pattern = `${this.config.redisKeyPrefix}{cmp:${campaignId}}:*`;
    const lock = `${this.config.redisKeyPrefix}${admissionKeys(campaignId).rebuildLock}`;
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      const doomed = found.filter((key) => key !== lock).map((key) => key.slice(this.config.redisKeyPrefix.length));
      if (doomed.length > 0) await this.redis.del(...doomed);
      cursor = next;
    } while (cursor !== '0');
  }
}

