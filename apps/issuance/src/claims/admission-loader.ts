import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { Campaign, CampaignAdmission, Round, Voucher, VoucherType } from '@vouchers/database';
import { callScript, Lease, readLuaScript, REDIS, Redis, registerLuaScripts } from '@vouchers/redis';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { admissionKeys, residentStateId, stateIdsOf } from './admission-keys';
import { budgetShares, shareOf } from './bucket-shares';
import { BUMP_GENERATION, CLOSE_CLAIMS_CURSOR, FETCH_CLAIMS, NO_STATEMENT_TIMEOUT, OPEN_CLAIMS_CURSOR, RETURNS_HELD } from './admission-loader.sql';
import { admitsGrabs, lifeOf, stateExpiry } from './admission-lifetime';
import { eachStateKey, withStateLock } from './admission-state';

/** Claims loaded into Redis per call of admission-people.lua: a few milliseconds of Redis each. */
const CLAIMS_PER_SCRIPT = 2_000;

/** A claim as FETCH_CLAIMS reads it, which the admission state records against its person. */
interface HeldClaim {
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
export class AdmissionLoader implements OnModuleInit {
  private readonly logger = new Logger(AdmissionLoader.name);
  private readonly running = new Map<string, Promise<boolean>>();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    registerLuaScripts(this.redis, [readLuaScript(join(__dirname, 'scripts', 'admission-people.lua'))]);
  }

  /** Starts a rebuild unless one runs in this process already; resolves true when this call rebuilt. */
  rebuild(campaignId: string): Promise<boolean> {
    return this.rebuildOnce(campaignId, null);
  }

  /**
   * Rebuilds when the marker is missing, or in a campaign of `buckets` stock buckets any
   * bucket's (a Cluster shard that lost its keys); a loaded campaign is left alone. Checked
   * again under the lock: a rebuild that finished a moment ago must not be redone over live grabs.
   */
  async ensureLoaded(campaignId: string, buckets = 1): Promise<void> {
    if (!(await this.isLoaded(campaignId, buckets))) await this.rebuildOnce(campaignId, buckets);
  }

  /** Whether the campaign's marker and every bucket's are there, each read on its own (its own slot). */
  private async isLoaded(campaignId: string, buckets: number): Promise<boolean> {
    const markers = new Set([campaignId, ...stateIdsOf(campaignId, buckets)].map((stateId) => admissionKeys(stateId).loaded));
    const found = await Promise.all([...markers].map((marker) => this.redis.exists(marker)));
    return found.every((n) => n === 1);
  }

  /**
   * Rebuilds when the state still carries `generation`: Postgres refused a batch admitted under
   * it, so it is wrong (Redis came back with old data). A state rebuilt since is left alone.
   * `stateId` names the marker read: the campaign's, or one stock bucket's (admission-keys.ts),
   * which an old snapshot of that bucket's shard alone can set back while the others are current.
   */
  async rebuildIfStill(campaignId: string, generation: string, stateId = campaignId): Promise<void> {
    if ((await this.redis.get(admissionKeys(stateId).loaded)) === generation) await this.rebuildOnce(campaignId, null, { stateId, generation });
  }

  /** ifMissingOf: rebuild only when a marker of the campaign in that many buckets is missing (null: whatever is there). */
  private rebuildOnce(campaignId: string, ifMissingOf: number | null, ifStill?: { stateId: string; generation: string }): Promise<boolean> {
    const running = this.running.get(campaignId);
    if (running) return running;
    const work = this.rebuildLocked(campaignId, ifMissingOf, ifStill).finally(() => this.running.delete(campaignId));
    this.running.set(campaignId, work);
    return work;
  }

  private async rebuildLocked(campaignId: string, ifMissingOf: number | null, ifStill?: { stateId: string; generation: string }): Promise<boolean> {
    const rebuilt = await withStateLock(this.redis, campaignId, 0, async (lease) => {
      if (ifMissingOf !== null && (await this.isLoaded(campaignId, ifMissingOf))) return false;
      if (ifStill && (await this.redis.get(admissionKeys(ifStill.stateId).loaded)) !== ifStill.generation) return false;
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
    await manager.query(NO_STATEMENT_TIMEOUT);
    // FOR SHARE: a status change waits for the rebuild, so the state never ends up with the old status.
    const campaign = await manager
      .createQueryBuilder(Campaign, 'c')
      .select(['c.id', 'c.status', 'c.perPersonLimit', 'c.budgetFen', 'c.validUntil'])
      .where('c.publicId = :campaignId', { campaignId })
      .setLock('pessimistic_read')
      .getOne();
    if (!campaign) return null;
    // Waits for inserts holding the old generation (FOR SHARE), then fences them out.
    const [{ generation }]: Array<Pick<CampaignAdmission, 'generation'>> = await manager.query(BUMP_GENERATION, [campaign.id]);
    const rounds = await manager.find(Round, { where: { campaignId: campaign.id }, relations: { voucherType: true } });
    // Claimed vouchers and face value spent, by round; every voucher of the campaign belongs to one of its rounds.
    const claimed: Array<Pick<Voucher, 'roundId'> & { claimed: string; spentFen: string }> = await manager
      .createQueryBuilder(Voucher, 'v')
      .select('v.roundId', 'roundId')
      .addSelect('count(*)', 'claimed')
      .addSelect('sum(v.faceValueFen)', 'spentFen')
      .where('v.campaignId = :campaignId', { campaignId: campaign.id })
      .groupBy('v.roundId')
      .getRawMany();
    const claimedOf = new Map(claimed.map((row) => [String(row.roundId), Number(row.claimed)]));
    // The returns to the pool (回流) the rounds' quantities and the budget hold: the campaign row's
    // share lock above keeps a return from committing meanwhile, so they agree with what was read.
    const [returns]: Array<{ ids: string[]; releasedFen: string }> = await manager.query(RETURNS_HELD, [campaign.id]);
    // Face value of vouchers claimed and not expired-and-returned: what the budget still covers.
    const spent = claimed.reduce((sum, row) => sum + Number(row.spentFen), 0) - Number(returns.releasedFen);
    const { life, closes } = lifeOf(campaign.status, campaign.validUntil, rounds.map((round) => round.closesAt));
    const now = Date.now();
    const expiresAt = stateExpiry(life, now);

    // Hot-stock buckets: every round of a campaign has the same count (campaign-rules.ts); 1 is the one state of before.
    const buckets = Math.max(1, ...rounds.map((round) => round.stockBuckets));
    const states = stateIdsOf(campaignId, buckets);
    // A lottery round's vouchers are given by its draw only: the grab's script finds none to take.
    const stocks = rounds.map((round) => (round.kind === 'lottery' ? 0 : round.quantity - (claimedOf.get(round.id) ?? 0)));
    const faces = rounds.map((round) => voucherTypeOf(round).faceValueFen);
    const worth = states.map((_, k) => rounds.reduce((sum, _round, i) => sum + shareOf(stocks[i], k, buckets) * faces[i], 0));
    const budgets = budgetShares(campaign.budgetFen - spent, worth);

    lease.assertHeld();
    await this.clear(campaignId, states);
    lease.assertHeld();
    // One pipeline a state: a bucket's keys share its slot.
    await Promise.all(
      states.map((stateId, k) => {
        const keys = admissionKeys(stateId);
        const pipeline = this.redis.pipeline();
        pipeline.hset(keys.meta, { status: campaign.status, limit: campaign.perPersonLimit, budget: budgets[k], ttl: expiresAt });
        pipeline.pexpireat(keys.meta, expiresAt);
        rounds.forEach((round, i) => {
          const key = keys.round(round.publicId);
          pipeline.hset(key, { stock: shareOf(stocks[i], k, buckets), opens: round.opensAt.getTime(), closes: closes[i] ?? 0, face: faces[i] });
          pipeline.pexpireat(key, expiresAt);
          pipeline.sadd(keys.index, `round:${round.publicId}`);
        });
        pipeline.pexpireat(keys.index, expiresAt);
        if (returns.ids.length > 0) {
          pipeline.sadd(keys.returned, ...returns.ids);
          pipeline.pexpireat(keys.returned, expiresAt);
        }
        return pipeline.exec();
      }),
    );
    // A campaign that admits no more grabs answers them from its status and rounds alone.
    if (admitsGrabs(life, now)) await this.loadPeople(manager, campaign.id, campaignId, buckets, expiresAt, lease);
    lease.assertHeld();
    // The buckets' markers, then the campaign's last: ensureLoaded sees a state whole or rebuilds it.
    const bucketMarkers = states.filter((stateId) => stateId !== campaignId);
    await Promise.all(bucketMarkers.map((stateId) => this.redis.set(admissionKeys(stateId).loaded, generation, 'PXAT', expiresAt)));
    lease.assertHeld();
    await this.redis.set(admissionKeys(campaignId).loaded, generation, 'PXAT', expiresAt);
    return generation;
  }

  /**
   * Streams the campaign's claims through a cursor of the rebuild's transaction, so a round of
   * millions stays in bounded memory, and loads them with admission-people.lua, thousands of
   * claims a call (a pipeline of two commands a claim took minutes for half a million).
   */
  private async loadPeople(manager: EntityManager, internalId: string, campaignId: string, buckets: number, expiresAt: number, lease: Lease): Promise<void> {
    await manager.query(OPEN_CLAIMS_CURSOR, [internalId]);
    for (;;) {
      const rows: HeldClaim[] = await manager.query(FETCH_CLAIMS);
      if (rows.length === 0) break;
      // Each person's record goes to their bucket's state: one script a bucket (a slot), as grabs find it.
      const byState = new Map<string, HeldClaim[]>();
      for (const row of rows) {
        const stateId = residentStateId(campaignId, row.resident, buckets);
        const held = byState.get(stateId);
        if (held) held.push(row);
        else byState.set(stateId, [row]);
      }
      for (const [stateId, claims] of byState) await this.loadClaims(admissionKeys(stateId), claims, expiresAt, lease);
    }
    await manager.query(CLOSE_CLAIMS_CURSOR);
  }

  private async loadClaims(keys: ReturnType<typeof admissionKeys>, rows: HeldClaim[], expiresAt: number, lease: Lease): Promise<void> {
    for (let start = 0; start < rows.length; start += CLAIMS_PER_SCRIPT) {
      const people: string[] = [keys.index];
      const args: Array<string | number> = [expiresAt];
      for (const row of rows.slice(start, start + CLAIMS_PER_SCRIPT)) {
        people.push(keys.person(row.resident));
        args.push(`person:${row.resident}`, row.idempotency_key ? 4 : 3, `r:${row.round}`, row.voucher, `s:${row.person_seq}`, row.round, `v:${row.voucher}`, row.person_seq);
        if (row.idempotency_key) args.push(`k:${row.idempotency_key}`, `${row.round}|${row.voucher}`);
      }
      lease.assertHeld();
      await callScript(this.redis, 'admissionPeople', people, args);
    }
  }

  /**
   * Deletes whatever state a previous generation left, the markers first (the campaign's, then
   * each bucket's): from then on grabs wait for the rebuild and create no key. Then every key of
   * the campaign and of each of its buckets (`states`), one bucket (one slot) at a time, each
   * state's index last (eachStateKey), so a clear cut short is finished by the next.
   */
  private async clear(campaignId: string, states: string[]): Promise<void> {
    const all = [...new Set([campaignId, ...states])];
    for (const stateId of all) await this.redis.del(admissionKeys(stateId).loaded);
    for (const stateId of all) {
      await eachStateKey(this.redis, stateId, async (found) => {
        await this.redis.del(...found);
      });
    }
  }
}

/** The round's voucher type, which `find` joined (rounds.voucher_type_id is not null). */
function voucherTypeOf(round: Round): VoucherType {
  if (!round.voucherType) throw new Error(`round ${round.publicId} was read without its voucher type`);
  return round.voucherType;
}
