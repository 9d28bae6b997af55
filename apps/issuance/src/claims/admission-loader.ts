import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { Lease, REDIS, Redis } from '@vouchers/redis';
import { DataSource, EntityManager } from 'typeorm';
import { admissionKeys } from './admission-keys';
import { admitsGrabs, lifeOf, stateExpiry } from './admission-lifetime';
import { eachStateKey, withStateLock } from './admission-state';

const PERSON_CHUNK = 20_000;

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
    return this.rebuildOnce(campaignId, false);
  }

  /**
   * Rebuilds when the marker is missing; a loaded campaign is left alone. Checked again under
   * the lock: a rebuild that finished a moment ago must not be redone over live grabs.
   */
  async ensureLoaded(campaignId: string): Promise<void> {
    if ((await this.redis.exists(admissionKeys(campaignId).loaded)) === 0) await this.rebuildOnce(campaignId, true);
  }

  /**
   * Rebuilds when the state still carries `generation`: Postgres refused a batch admitted under
   * it, so it is wrong (Redis came back with old data). A state rebuilt since is left alone.
   */
  async rebuildIfStill(campaignId: string, generation: string): Promise<void> {
    if ((await this.redis.get(admissionKeys(campaignId).loaded)) === generation) await this.rebuildOnce(campaignId, false, generation);
  }

  private rebuildOnce(campaignId: string, ifMissing: boolean, ifGeneration?: string): Promise<boolean> {
    const running = this.running.get(campaignId);
    if (running) return running;
    const work = this.rebuildLocked(campaignId, ifMissing, ifGeneration).finally(() => this.running.delete(campaignId));
    this.running.set(campaignId, work);
    return work;
  }

  private async rebuildLocked(campaignId: string, ifMissing: boolean, ifGeneration?: string): Promise<boolean> {
    const rebuilt = await withStateLock(this.redis, campaignId, 0, async (lease) => {
      const loaded = await this.redis.get(admissionKeys(campaignId).loaded);
      if (ifMissing && loaded !== null) return false;
      if (ifGeneration !== undefined && loaded !== ifGeneration) return false;
      const started = Date.now();
      // A lease lost on the way throws out of the transaction: the generation is not bumped, the marker not set.
      const generation = await this.db.transaction((manager) => this.readAndWrite(manager, campaignId, lease));
      if (generation === null) return false;
      this.logger.log(`admission state of campaign ${campaignId} rebuilt (generation ${generation}) in ${Date.now() - started} ms`);
      return true;
    });
    return rebuilt ?? false;
  }

  /** Every write to Redis is preceded by lease.assertHeld(): a rebuild whose lock may have lapsed stops. */
  private async readAndWrite(manager: EntityManager, campaignId: string, lease: Lease): Promise<string | null> {
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
    const { life, closes } = lifeOf(campaign.status, campaign.valid_until, rounds.map((round) => round.closes_at));
    const now = Date.now();
    const expiresAt = stateExpiry(life, now);

    const keys = admissionKeys(campaignId);
    lease.assertHeld();
    await this.clear(campaignId);
    lease.assertHeld();
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
    if (admitsGrabs(life, now)) await this.loadPeople(manager, campaign.id, campaignId, expiresAt, lease);
    lease.assertHeld();
    await this.redis.set(keys.loaded, generation, 'PXAT', expiresAt);
    return generation;
  }

  /** Streams the campaign's claims in keyset chunks, so a round of millions stays in bounded memory. */
  private async loadPeople(manager: EntityManager, internalId: string, campaignId: string, expiresAt: number, lease: Lease): Promise<void> {
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
      lease.assertHeld();
      await pipeline.exec();
      after = rows[rows.length - 1].id;
    }
  }

  /** Deletes whatever state a previous generation left, the marker first: from then on grabs wait for the rebuild. */
  private async clear(campaignId: string): Promise<void> {
    await this.redis.del(admissionKeys(campaignId).loaded);
    await eachStateKey(this.redis, this.config.redisKeyPrefix, campaignId, async (found) => {
      await this.redis.del(...found);
    });
  }
}
