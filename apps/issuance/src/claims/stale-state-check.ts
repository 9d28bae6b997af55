import { Inject, Injectable, Logger } from '@nestjs/common';
import { Round } from '@vouchers/database';
import { REDIS, Redis } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import { admissionKeys, stateIdsOf } from './admission-keys';
import { AdmissionLoader } from './admission-loader';

/**
 * Finds a campaign's admission state that went back in time (Redis restarted from an old
 * snapshot, or failed over to a lagging replica: the marker and generation survive, the counts
 * are old) and rebuilds it before it admits much.
 *
 * A state that is right has, for every round, quantity - stock ≥ the rows Postgres holds:
 * every row was reserved first, and a reservation is given back only when its row is not in
 * Postgres. Postgres is read first, so rows committed between the two reads only make the left
 * side larger. An old snapshot gives back stock whose rows exist, and the sum comes out short.
 * The claim writer's backstop (rounds.issued) refuses what slips through meanwhile.
 *
 * It also finds stock lost from Redis (stockLost): a move between stock buckets cut between its
 * take and its give, or a give refused during a failover, leaves the round under-sold for good,
 * since nothing else counts it again. Lost stock shows as quantity - stock - pending > issued,
 * where pending counts the round's reservations not yet known to be in Postgres; a move in
 * flight shows the same for a few milliseconds, so only a shortfall seen at LOST_CHECKS checks
 * in a row (the watch's ticks, seconds apart) has the state rebuilt.
 */
/** Checks in a row that must see a round short of stock before the state is rebuilt. */
export const LOST_CHECKS = 3;

type RoundCounts = Pick<Round, 'publicId' | 'quantity' | 'issued' | 'stockBuckets'>;

@Injectable()
export class StaleStateCheck {
  private readonly logger = new Logger(StaleStateCheck.name);
  /** Per campaign: its generation and how many checks in a row saw stock lost. */
  private readonly shortfalls = new Map<string, { generation: string; checks: number }>();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AdmissionLoader) private readonly loader: AdmissionLoader,
  ) {}

  /** Resolves true when the state was found behind Postgres, or short of stock for LOST_CHECKS checks, and rebuilt. */
  async check(campaignId: string): Promise<boolean> {
    const rounds = await this.roundsOf(campaignId);
    if (rounds.length === 0) return false;
    const generation = await this.redis.get(admissionKeys(campaignId).loaded);
    if (generation === null) return false;
    // A round split into stock buckets holds the sum of theirs, with the reservations pending in each.
    const buckets = Math.max(...rounds.map((round) => round.stockBuckets));
    const held = await this.heldInRedis(campaignId, buckets, rounds);
    const behind = rounds.filter((round, i) => held[i] !== null && round.quantity - held[i]!.stock < round.issued);
    if (behind.length > 0) {
      this.logger.error(
        { campaignId, generation, rounds: behind.map((round) => round.publicId) },
        'admission state is behind Postgres (Redis came back with old data): rebuilding',
      );
      await this.loader.rebuildIfStill(campaignId, generation);
      return true;
    }
    return this.stockLost(campaignId, generation, rounds, held);
  }

  /**
   * Stock gone from Redis that no row and no reservation holds. Postgres is read again after
   * Redis: a reservation written and forgotten between the reads is then in `issued`, so a
   * shortfall is never one that a grab in progress explains.
   */
  private async stockLost(campaignId: string, generation: string, rounds: RoundCounts[], held: Array<{ stock: number; pending: number } | null>): Promise<boolean> {
    const suspects = rounds.filter((round, i) => held[i] !== null && round.quantity - held[i]!.stock - held[i]!.pending > round.issued);
    if (suspects.length === 0) {
      this.shortfalls.delete(campaignId);
      return false;
    }
    const issuedNow = new Map((await this.roundsOf(campaignId)).map((round) => [round.publicId, round.issued]));
    const short = rounds
      .map((round, i) => ({ roundId: round.publicId, lost: held[i] === null ? 0 : round.quantity - held[i]!.stock - held[i]!.pending - (issuedNow.get(round.publicId) ?? round.issued) }))
      .filter((round) => round.lost > 0);
    const seen = this.shortfalls.get(campaignId);
    const checks = short.length > 0 && seen?.generation === generation ? seen.checks + 1 : short.length > 0 ? 1 : 0;
    if (checks === 0) {
      this.shortfalls.delete(campaignId);
      return false;
    }
    if (checks < LOST_CHECKS) {
      this.shortfalls.set(campaignId, { generation, checks });
      return false;
    }
    this.shortfalls.delete(campaignId);
    this.logger.error({ campaignId, generation, short }, 'admission state holds less stock than Postgres leaves (a move between buckets cut short): rebuilding');
    await this.loader.rebuildIfStill(campaignId, generation);
    return true;
  }

  /** The campaign's grab rounds: a lottery round holds no stock in Redis (its vouchers come from its draw, which rebuilds the state). */
  private roundsOf(campaignId: string): Promise<RoundCounts[]> {
    return this.db.manager
      .createQueryBuilder(Round, 'r')
      .innerJoin('r.campaign', 'c')
      .select('r.publicId', 'publicId')
      .addSelect('r.quantity', 'quantity')
      .addSelect('r.issued', 'issued')
      .addSelect('r.stockBuckets', 'stockBuckets')
      .where('c.publicId = :campaignId', { campaignId })
      .andWhere("r.kind = 'grab'")
      .getRawMany();
  }

  /**
   * Each round's stock over every bucket and its reservations pending, or null where a bucket
   * lacks the round. Each bucket is read in one MULTI (its keys share a slot), so a reservation
   * is either still in its stock or already in its pending set, never neither.
   */
  private async heldInRedis(campaignId: string, buckets: number, rounds: RoundCounts[]): Promise<Array<{ stock: number; pending: number } | null>> {
    const perBucket = await Promise.all(
      stateIdsOf(campaignId, buckets).map(async (stateId) => {
        const keys = admissionKeys(stateId);
        const multi = this.redis.multi();
        for (const round of rounds) multi.hget(keys.round(round.publicId), 'stock');
        multi.zrange(keys.pending, 0, -1);
        const replies = ((await multi.exec()) ?? []).map(([, reply]) => reply);
        const members = (replies.pop() as string[] | null) ?? [];
        const pending = new Map<string, number>();
        for (const member of members) {
          const roundId = member.slice(0, member.indexOf('|'));
          pending.set(roundId, (pending.get(roundId) ?? 0) + 1);
        }
        return rounds.map((round, i) => (typeof replies[i] === 'string' ? { stock: Number(replies[i]), pending: pending.get(round.publicId) ?? 0 } : null));
      }),
    );
    return rounds.map((_, i) => {
      if (perBucket.some((bucket) => bucket[i] === null)) return null;
      return perBucket.reduce((sum, bucket) => ({ stock: sum.stock + bucket[i]!.stock, pending: sum.pending + bucket[i]!.pending }), { stock: 0, pending: 0 });
    });
  }
}
