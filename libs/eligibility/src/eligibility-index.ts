import { Inject, Injectable, Logger } from '@nestjs/common';
import { Merchant } from '@vouchers/database';
import { REDIS, Redis, withRedisLock } from '@vouchers/redis';
import { DataSource, EntityManager } from 'typeorm';
import { HOLD_ELIGIBILITY_WRITES, LOCK_ELIGIBILITY_REBUILD, UNLOCK_ELIGIBILITY_REBUILD } from './eligibility-lock.sql';

export type MerchantStatus = 'pending' | 'approved' | 'rejected' | 'suspended';

export interface EligibilityEntry {
  merchantId: string;
  status: MerchantStatus;
  district: string;
  category: string;
}

/** One hash per merchant, tagged by merchant, so each read or write touches one Cluster slot. */
export const eligibilityKeys = {
  merchant: (merchantId: string) => `elig:{m:${merchantId}}`,
  loaded: 'elig:{index}:loaded',
  rebuildLock: 'elig:{index}:rebuilding',
};

const CHUNK = 5_000;

/** Advisory lock between a rebuild (exclusive) and every change of a merchant's eligibility (shared). */
const ELIGIBILITY_LOCK = 7_203_614_004;

/**
 * Call first inside any transaction that changes a merchant's status, district or category
 * and writes the index. A rebuild waits for such transactions to finish and they wait for a
 * rebuild, so a rebuild can never read a row before such a change commits and then write the
 * old value over the index entry the change already wrote.
 */
export async function holdEligibilityWrites(manager: EntityManager): Promise<void> {
  await manager.query(HOLD_ELIGIBILITY_WRITES, [ELIGIBILITY_LOCK]);
}
/** The rebuild lock's lease, renewed while the rebuild runs (withRedisLock); a dead holder's frees itself this long after. */
const LOCK_MS = 30_000;

/**
 * The merchant eligibility index the till reads in one Redis call (DESIGN §6). Postgres is
 * the truth; the index must never call a merchant approved that Postgres does not. So a move
 * away from approved is written here BEFORE Postgres (a failure in between leaves the index
 * stricter, never looser), and a move to approved AFTER Postgres commits.
 */
@Injectable()
export class EligibilityIndex {
  private readonly logger = new Logger(EligibilityIndex.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  async put(entry: EligibilityEntry): Promise<void> {
    await this.putMany([entry]);
  }

  async putMany(entries: EligibilityEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // One command per merchant, not a pipeline: the merchants' keys lie in many Cluster slots,
    // which one pipeline may not span; auto-pipelining still sends them in one write per node.
    const results = await Promise.allSettled(
      entries.map((entry) =>
        this.redis.hset(eligibilityKeys.merchant(entry.merchantId), { status: entry.status, district: entry.district, category: entry.category }),
      ),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * The entry, or null when the merchant has none; `loaded` false means the index cannot be
   * trusted yet. Two plain commands (not an explicit pipeline) so the client's auto-pipelining
   * batches them with other requests' commands.
   */
  async get(merchantId: string): Promise<{ loaded: boolean; entry: EligibilityEntry | null }> {
    const [fields, loaded] = await Promise.all([
      this.redis.hgetall(eligibilityKeys.merchant(merchantId)),
      this.redis.exists(eligibilityKeys.loaded),
    ]);
    const entry = fields.status
      ? { merchantId, status: fields.status as MerchantStatus, district: fields.district, category: fields.category }
      : null;
    return { loaded: loaded === 1, entry };
  }

  /**
   * The till's reading: whether the index calls the merchant approved, or null when it cannot say
   * (no entry, and the index not loaded: Postgres alone decides). An entry present answers alone,
   * in one command; the loaded marker is read only for a missing entry, which counts as not
   * approved once the index is loaded. The redemption's statement checks the merchant's status in
   * Postgres whatever this says, so the index can only make it stricter: an entry present while a
   * rebuild runs (it came from Postgres, or from a change written the strict way first) is as
   * good as one in a loaded index.
   */
  async approval(merchantId: string): Promise<boolean | null> {
    const status = await this.redis.hget(eligibilityKeys.merchant(merchantId), 'status');
    if (status !== null) return status === 'approved';
    return (await this.isLoaded()) ? false : null;
  }

  /**
   * After a write to the index failed while Postgres committed: drops the loaded marker, so the
   * till asks Postgres alone for a merchant without an entry and EligibilityWatch rebuilds the
   * whole index within seconds. Never throws (Redis may be the trouble; the watch finds it then).
   */
  async askRebuild(): Promise<void> {
    await this.redis.del(eligibilityKeys.loaded).catch(() => undefined);
  }

  async isLoaded(): Promise<boolean> {
    return (await this.redis.exists(eligibilityKeys.loaded)) === 1;
  }

  /** Rebuilds the whole index from Postgres when its marker is missing (Redis restarted or flushed). */
  async ensureLoaded(): Promise<boolean> {
    if (await this.isLoaded()) return false;
    return this.rebuild();
  }

  async rebuild(): Promise<boolean> {
    const rebuilt = await withRedisLock(this.redis, eligibilityKeys.rebuildLock, { ttlMs: LOCK_MS }, async () => {
      const runner = this.db.createQueryRunner();
      await runner.connect();
      try {
        await runner.query(LOCK_ELIGIBILITY_REBUILD, [ELIGIBILITY_LOCK]);
        const started = Date.now();
        let after = '0';
        let count = 0;
        for (;;) {
          // The statuses in the table are those of MerchantStatus.
          const rows: Array<Pick<Merchant, 'id' | 'publicId' | 'district' | 'category'> & { status: MerchantStatus }> = await this.db.manager
            .createQueryBuilder(Merchant, 'm')
            .select('m.id', 'id')
            .addSelect('m.publicId', 'publicId')
            .addSelect('m.status', 'status')
            .addSelect('m.district', 'district')
            .addSelect('m.category', 'category')
            .where('m.id > :after', { after })
            .orderBy('m.id')
            .limit(CHUNK)
            .getRawMany();
          if (rows.length === 0) break;
          await this.putMany(rows.map((row) => ({ merchantId: row.publicId, status: row.status, district: row.district, category: row.category })));
          count += rows.length;
          after = rows[rows.length - 1].id;
        }
        await this.redis.set(eligibilityKeys.loaded, '1');
        this.logger.log(`eligibility index rebuilt: ${count} merchants in ${Date.now() - started} ms`);
        return true;
      } finally {
        await runner.query(UNLOCK_ELIGIBILITY_REBUILD, [ELIGIBILITY_LOCK]).catch(() => undefined);
        await runner.release();
      }
    });
    return rebuilt ?? false;
  }

}
