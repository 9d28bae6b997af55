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
 */
@Injectable()
export class StaleStateCheck {
  private readonly logger = new Logger(StaleStateCheck.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AdmissionLoader) private readonly loader: AdmissionLoader,
  ) {}

  /** Resolves true when the state was found behind Postgres and rebuilt. */
  async check(campaignId: string): Promise<boolean> {
    const rounds: Array<Pick<Round, 'publicId' | 'quantity' | 'issued' | 'stockBuckets'>> = await this.db.manager
      .createQueryBuilder(Round, 'r')
      .innerJoin('r.campaign', 'c')
      .select('r.publicId', 'publicId')
      .addSelect('r.quantity', 'quantity')
      .addSelect('r.issued', 'issued')
      .addSelect('r.stockBuckets', 'stockBuckets')
      .where('c.publicId = :campaignId', { campaignId })
      .getRawMany();
    if (rounds.length === 0) return false;
    const generation = await this.redis.get(admissionKeys(campaignId).loaded);
    if (generation === null) return false;
    // A round split into stock buckets holds the sum of theirs: one pipeline a bucket (its own slot).
    const buckets = Math.max(...rounds.map((round) => round.stockBuckets));
    const shares = await Promise.all(
      stateIdsOf(campaignId, buckets).map(async (stateId) => {
        const pipeline = this.redis.pipeline();
        for (const round of rounds) pipeline.hget(admissionKeys(stateId).round(round.publicId), 'stock');
        return ((await pipeline.exec()) ?? []).map(([, stock]) => (typeof stock === 'string' ? Number(stock) : null));
      }),
    );
    const behind = rounds.filter((round, i) => {
      if (shares.some((share) => share[i] === null || share[i] === undefined)) return false;
      const stock = shares.reduce((sum, share) => sum + (share[i] as number), 0);
      return round.quantity - stock < round.issued;
    });
    if (behind.length === 0) return false;
    this.logger.error(
      { campaignId, generation, rounds: behind.map((round) => round.publicId) },
      'admission state is behind Postgres (Redis came back with old data): rebuilding',
    );
    await this.loader.rebuildIfStill(campaignId, generation);
    return true;
  }
}
