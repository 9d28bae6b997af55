import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { REDIS, Redis } from '@vouchers/redis';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { admissionKeys } from './admission-keys';
import { admitsGrabs, CampaignLife, endOfRounds, RENEW_WITHIN_MS, roundClosesAt, stateExpiry } from './admission-lifetime';

const REBUILD_LOCK_MS = 120_000;
const PERSON_CHUNK = 20_000;
/** A new expiry closer than this to the one in place is not worth touching every key for. */
const RETIME_SLACK_MS = 60_000;

interface CampaignRow {
  id: string;
  status: string;
  per_person_limit: number;
  budget_fen: string;
  valid_until: Date | null;
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
    // FOR SHARE: a status change waits for the rebuild, so the state never ends up with the old status.
    const [campaign]: CampaignRow[] = await manager.query(
      'SELECT id, status, per_person_limit, budget_fen, valid_until FROM campaigns WHERE public_id = $1 FOR SHARE',
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
    const closes = rounds.map((round) => roundClosesAt(round.closes_at, campaign.valid_until));
    const life: CampaignLife = { status: campaign.status, endsAt: endOfRounds(closes) };
    const now = Date.now();
    const expiresAt = stateExpiry(life, now);

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
    rounds.forEach((round, i) => {
      const key = keys.round(round.public_id);
      pipeline.hset(key, {
        stock: round.quantity - Number(round.claimed),
        opens: new Date(round.opens_at).getTime(),
        closes: closes[i] ?? 0,
        face: Number(round.face_value_fen),
      });
      pipeline.pexpireat(key, expiresAt);
    });
    await pipeline.exec();
    // A campaign that admits no more grabs answers them from its status and rounds alone.
    if (admitsGrabs(life, now)) await this.loadPeople(manager, campaign.id, campaignId, expiresAt);
    await this.redis.set(keys.loaded, generation, 'PXAT', expiresAt);
    return generation;
  }

  /**
   * Moves the expiry of a loaded campaign's state (every key of it) to what its status and
   * rounds call for now: after it ended, a day from now; for a live campaign without an end,
   * the horizon renewed. Resolves true when it moved anything.
   */
  async retime(campaignId: string, { renewOnly = false } = {}): Promise<boolean> {
    const keys = admissionKeys(campaignId);
    const current = Number(await this.redis.hget(keys.meta, 'ttl'));
    if (!current) return false; // not loaded: the rebuild sets it
    const now = Date.now();
    if (renewOnly && current - now >= RENEW_WITHIN_MS) return false;
    const rows: Array<{ status: string; valid_until: Date | null; closes: Array<Date | null> }> = await this.db.query(
      `SELECT c.status, c.valid_until, array_agg(r.closes_at) AS closes
         FROM campaigns c JOIN rounds r ON r.campaign_id = c.id
        WHERE c.public_id = $1 GROUP BY c.id`,
      [campaignId],
    );
    if (rows.length === 0) return false;
    const [{ status, valid_until: validUntil, closes }] = rows;
    const life: CampaignLife = { status, endsAt: endOfRounds(closes.map((close) => roundClosesAt(close, validUntil))) };
    const expiresAt = stateExpiry(life, now);
    if (Math.abs(expiresAt - current) < RETIME_SLACK_MS) return false;
    if (renewOnly && (!admitsGrabs(life, now) || expiresAt < current)) return false;
    // The script gives new person records the meta's ttl, so set it first: the scan then finds every older key.
    await this.redis.hset(keys.meta, 'ttl', expiresAt);
    await this.eachKey(campaignId, async (found) => {
      const pipeline = this.redis.pipeline();
      for (const key of found) pipeline.pexpireat(key, expiresAt);
      await pipeline.exec();
    });
    this.logger.log(`admission state of campaign ${campaignId} now expires at ${new Date(expiresAt).toISOString()}`);
    return true;
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

  /** Deletes whatever state a previous generation left. */
  private async clear(campaignId: string): Promise<void> {
    await this.eachKey(campaignId, async (found) => {
      await this.redis.del(...found);
    });
  }

  /** Hands every key of the campaign's state but the rebuild lock to `use`, a SCAN page at a time, unprefixed. */
  private async eachKey(campaignId: string, use: (keys: string[]) => Promise<void>): Promise<void> {
    // SCAN's MATCH pattern and the keys it returns are not prefixed by ioredis.
    const pattern = `${this.config.redisKeyPrefix}{cmp:${campaignId}}:*`;
    const lock = `${this.config.redisKeyPrefix}${admissionKeys(campaignId).rebuildLock}`;
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      const keys = found.filter((key) => key !== lock).map((key) => key.slice(this.config.redisKeyPrefix.length));
      if (keys.length > 0) await use(keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
