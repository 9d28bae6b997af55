import { Inject, Injectable, Logger } from '@nestjs/common';
import { Round } from '@vouchers/database';
import { REDIS, Redis } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import { admissionKeys } from './admission-keys';
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
    const rounds: Array<Pick<Round, 'publicId' | 'quantity' | 'issued'>> = await this.db.manager
      .createQueryBuilder(Round, 'r')
      .innerJoin('r.campaign', 'c')
      .select('r.publicId', 'publicId')
      .addSelect('r.quantity', 'quantity')
      .addSelect('r.issued', 'issued')
      .where('c.publicId = :campaignId', { campaignId })
      .getRawMany();
    if (rounds.length === 0) return false;
    const keys = admissionKeys(campaignId);
    const pipeline = this.redis.pipeline();
    pipeline.get(keys.loaded);
    for (const round of rounds) pipeline.hget(keys.round(round.publicId), 'stock');
    const [[, generation], ...stocks] = (await pipeline.exec()) ?? [];
    if (typeof generation !== 'string') return false;
    const behind = rounds.filter((round, i) => {
      const stock = stocks[i]?.[1];
      return typeof stock === 'string' && round.quantity - Number(stock) < round.issued;
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
