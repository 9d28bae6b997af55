import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, newPublicId } from '@vouchers/common';
import { LotteryDraw, recordAudit } from '@vouchers/database';
import { REDIS, Redis } from '@vouchers/redis';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { admissionKeys } from '../claims/admission-keys';
import { ClaimErrorCode } from '../claims/claim-errors';
import { AdmissionLoader } from '../claims/admission-loader';
import { BUMP_GENERATION } from '../claims/admission-loader.sql';
import { expiryOf } from '../claims/round-catalog';
import { lockAndFreeze } from './freeze-entrants';
import { LotteryErrorCode } from './lottery-errors';
import { LotteryRound, LotteryRounds } from './lottery-rounds';
import { ADMISSION_GENERATION, CAMPAIGN_STATUS_HELD, DRAW_WORK_MEM, ENTRANTS_AT_LIMIT, ENTRANTS_COUNT, HELD_SLOTS, INSERT_DRAWN, RANKED_ENTRANTS, READ_SEED } from './lottery.sql';
import { DrawView } from './lottery.views';

/** Drawn entrants decided, and their vouchers written, per statement. */
const DRAW_CHUNK = 5_000;
/** Attempts at loading the winners into the admission state before the draw answers 503 (a retry finishes it). */
const LOAD_ATTEMPTS = 20;
const LOAD_RETRY_MS = 100;

interface Drawn {
  rank: number;
  entryHash: string;
  residentId: string;
  slot: number | null;
  reason: string;
}

/**
 * The draw (LOTTERY.md), by a commerce official once two agreed on the public value. In one
 * transaction: the seed is read and revealed, the frozen entrants ranked by
 * SHA-256(seed ‖ public value ‖ entry hash), and walked in rank order in chunks: an entrant
 * already holding the campaign's per-person limit is skipped with its reason, the others win
 * until the round's quantity is given out, their vouchers inserted one statement per chunk
 * under the grab's keys and rounds.issued backstop. The transaction first bumps the campaign's
 * admission generation, which waits for grab inserts in flight and turns away those admitted
 * under the state from before, so no grab takes a slot the draw gives. After the commit the
 * admission state is rebuilt from Postgres, and only then is the draw published (publishedAt):
 * nobody is told before the vouchers are in Redis and Postgres alike. Drawing again finishes
 * a draw whose load failed, and answers a published one as it was.
 */
@Injectable()
export class DrawLottery {
  private readonly logger = new Logger(DrawLottery.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LotteryRounds) private readonly rounds: LotteryRounds,
    @Inject(AdmissionLoader) private readonly loader: AdmissionLoader,
  ) {}

  async execute(official: AuthUser, roundId: string, requestId: string | null): Promise<DrawView> {
    const round = await this.rounds.findForOfficial(official, roundId);
    const generation = await this.db.transaction((manager) => this.draw(manager, official, round, requestId));
    if (generation !== null) await this.loadAdmission(round, generation);
    return this.publish(round);
  }

  /**
   * Draws and returns the admission generation it fenced at; for a round drawn before and not
   * yet published, the campaign's generation now (generationNow); null once published.
   */
  private async draw(manager: EntityManager, official: AuthUser, round: LotteryRound, requestId: string | null): Promise<string | null> {
    const draw = await lockAndFreeze(manager, round);
    if (draw.drawn_at !== null) return draw.published_at === null ? this.generationNow(manager, round) : null;
    if (draw.public_value === null) throw new AppError(LotteryErrorCode.PublicValueMissing, 'Two officials have not yet agreed on the public value');
    // Only an active campaign issues vouchers, as a grab does (a paused one may be drawn once resumed).
    const [{ status }]: Array<{ status: string }> = await manager.query(CAMPAIGN_STATUS_HELD, [round.campaignId]);
    if (status !== 'active') throw new AppError(ClaimErrorCode.CampaignNotActive, `This campaign is ${status}`, { status });
    const now = new Date();
    if (expiryOf(round.campaign, now) <= now) {
      throw new AppError(LotteryErrorCode.ValidityEnded, "The campaign's vouchers are no longer valid: a draw would issue expired vouchers");
    }
    const [{ generation }]: Array<{ generation: string }> = await manager.query(BUMP_GENERATION, [round.campaignId]);
    const [{ seed }]: Array<{ seed: string }> = await manager.query(READ_SEED, [round.id]);
    const [{ entrants_count: entrants }]: Array<{ entrants_count: number }> = await manager.query(ENTRANTS_COUNT, [round.id]);
    const [{ at_limit: atLimit }]: Array<{ at_limit: number }> = await manager.query(ENTRANTS_AT_LIMIT, [
      round.id,
      round.campaignId,
      round.campaign.perPersonLimit,
    ]);
    await manager.query(DRAW_WORK_MEM);
    let left = round.quantity - round.issued;
    let ranked = 0;
    let winners = 0;
    let skipped = 0;
    let drawnAt: Date | null = null;
    // Ranked a page at a time: the first page (left + atLimit) holds every winner unless a
    // voucher was issued to an entrant since the count, when the next page goes on from there.
    while (left > 0 && ranked < entrants) {
      const page: Array<{ entry_hash: string; resident_id: string }> = await manager.query(RANKED_ENTRANTS, [
        round.id,
        `${seed}${draw.public_value}`,
        left + atLimit,
        ranked,
      ]);
      if (page.length === 0) break;
      // The draw's time, once the entrants are ranked: the vouchers' claimed_at.
      drawnAt ??= new Date();
      for (let start = 0; start < page.length && left > 0; start += DRAW_CHUNK) {
        const chunk = page.slice(start, start + DRAW_CHUNK).map((entrant, i) => ({
          rank: ranked + start + i + 1,
          entryHash: entrant.entry_hash,
          residentId: String(entrant.resident_id),
        }));
        const drawn = await this.decide(manager, round, chunk, left);
        const won = await this.issue(manager, round, drawn, drawnAt);
        left -= won;
        winners += won;
        skipped += drawn.length - won;
      }
      ranked += page.length;
    }
    drawnAt ??= new Date();
    await manager.update(LotteryDraw, { roundId: round.id }, { revealedSeed: seed, drawnAt });
    await recordAudit(manager, {
      actorId: official.sub,
      actorRole: official.role,
      action: 'lottery.draw',
      targetType: 'round',
      targetId: round.publicId,
      detail: { entrants, winners, skipped, publicValue: draw.public_value },
      requestId,
    });
    return generation;
  }

  /**
   * The generation a draw committed earlier but not published is loaded past: the campaign's
   * now, which is the draw's or a later one. Any state loaded before the draw holds an older
   * one, so a load that failed (the state's lock held, a rebuild still running) is never taken
   * for done, and the draw is published only once Redis holds its winners.
   */
  private async generationNow(manager: EntityManager, round: LotteryRound): Promise<string> {
    const [{ generation }]: Array<{ generation: string }> = await manager.query(ADMISSION_GENERATION, [round.campaignId]);
    return generation;
  }

  /** Walks a chunk in rank order until `left` have won: a free slot for each winner, the reason for each skip. */
  private async decide(manager: EntityManager, round: LotteryRound, chunk: Array<Omit<Drawn, 'slot' | 'reason'>>, left: number): Promise<Drawn[]> {
    const held: Array<{ resident_id: string; slots: number[] }> = await manager.query(HELD_SLOTS, [
      round.campaignId,
      chunk.map((entrant) => entrant.residentId),
    ]);
    const slotsOf = new Map(held.map((row) => [String(row.resident_id), new Set(row.slots)]));
    const drawn: Drawn[] = [];
    for (const entrant of chunk) {
      if (left === 0) break;
      const slots = slotsOf.get(entrant.residentId) ?? new Set<number>();
      const slot = firstFreeSlot(slots, round.campaign.perPersonLimit);
      drawn.push({ ...entrant, slot, reason: slot === null ? 'per_person_limit' : '' });
      if (slot !== null) left -= 1;
    }
    return drawn;
  }

  /** Writes a chunk's winners' vouchers and every drawn entrant's outcome, in one statement; returns how many won. */
  private async issue(manager: EntityManager, round: LotteryRound, drawn: Drawn[], drawnAt: Date): Promise<number> {
    const won = drawn.filter((entrant) => entrant.slot !== null);
    await manager.query(INSERT_DRAWN, [
      round.campaignId,
      round.id,
      round.voucherType.faceValueFen,
      round.voucherType.thresholdFen,
      drawnAt.toISOString(),
      expiryOf(round.campaign, drawnAt).toISOString(),
      won.map(() => newPublicId()),
      won.map((entrant) => entrant.residentId),
      won.map((entrant) => entrant.slot),
      drawn.map((entrant) => entrant.rank),
      drawn.map((entrant) => entrant.entryHash),
      drawn.map((entrant) => entrant.residentId),
      drawn.map((entrant) => entrant.reason),
    ]);
    return won.length;
  }

  /**
   * Rebuilds the campaign's admission state until Redis holds a generation past the one the
   * draw fenced at, i.e. one built from Postgres after the winners were committed.
   */
  private async loadAdmission(round: LotteryRound, generation: string): Promise<void> {
    const loadedKey = admissionKeys(round.campaign.publicId).loaded;
    for (let attempt = 0; attempt < LOAD_ATTEMPTS; attempt += 1) {
      try {
        await this.loader.rebuild(round.campaign.publicId);
        const loaded = await this.redis.get(loadedKey);
        if (loaded !== null && BigInt(loaded) > BigInt(generation)) return;
      } catch (error) {
        this.logger.warn({ err: error, roundId: round.publicId }, 'loading the winners into the admission state failed');
      }
      await new Promise((resolve) => setTimeout(resolve, LOAD_RETRY_MS));
    }
    throw new AppError(LotteryErrorCode.DrawNotPublished, "The winners' vouchers are saved but not yet loaded; draw again to finish", {
      retryAfterSeconds: 1,
    });
  }

  private async publish(round: LotteryRound): Promise<DrawView> {
    await this.db.manager.update(LotteryDraw, { roundId: round.id, publishedAt: IsNull() }, { publishedAt: new Date() });
    const draw = await this.db.manager.findOneByOrFail(LotteryDraw, { roundId: round.id });
    const counts: Array<{ outcome: string; n: number }> = await this.db
      .createQueryBuilder()
      .select('o.outcome', 'outcome')
      .addSelect('count(*)::int', 'n')
      .from('lottery_outcomes', 'o')
      .where('o.round_id = :roundId', { roundId: round.id })
      .groupBy('o.outcome')
      .getRawMany();
    const count = (outcome: string) => counts.find((row) => row.outcome === outcome)?.n ?? 0;
    return {
      roundId: round.publicId,
      winners: count('won'),
      skipped: count('skipped'),
      entrants: draw.entrantsCount ?? 0,
      publishedAt: (draw.publishedAt as Date).toISOString(),
    };
  }
}

/** The lowest person slot (1..limit) not held, or null at the limit. */
function firstFreeSlot(held: ReadonlySet<number>, limit: number): number | null {
  for (let slot = 1; slot <= limit; slot += 1) if (!held.has(slot)) return slot;
  return null;
}
