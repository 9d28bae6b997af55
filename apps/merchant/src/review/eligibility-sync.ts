import { Inject, Injectable, Logger } from '@nestjs/common';
import { Merchant } from '@vouchers/database';
import { EligibilityIndex, holdEligibilityWrites, MerchantStatus } from '@vouchers/eligibility';
import { DataSource } from 'typeorm';

/**
 * Brings a merchant's entry in the eligibility index up to Postgres after a commit (an
 * approval, a registration). It reads and writes while holding the merchant's row lock, and
 * so do the moves away from approved (DecideMerchant): a slow approval's write can therefore
 * never land after a later suspension's and leave the index looser than Postgres.
 */
@Injectable()
export class EligibilitySync {
  private readonly logger = new Logger(EligibilitySync.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(EligibilityIndex) private readonly index: EligibilityIndex,
  ) {}

  /**
   * Never throws: Postgres has committed and is the truth. If Redis cannot be written, the
   * entry stays as it was (stricter for an approval), and the index's marker is dropped so
   * that EligibilityWatch rebuilds the whole index from Postgres within seconds.
   */
  async follow(merchantId: string): Promise<void> {
    try {
      await this.db.transaction(async (manager) => {
        await holdEligibilityWrites(manager);
        const merchant = await manager.findOne(Merchant, {
          select: { id: true, status: true, district: true, category: true },
          where: { publicId: merchantId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!merchant) return;
        await this.index.put({ merchantId, status: merchant.status as MerchantStatus, district: merchant.district, category: merchant.category });
      });
    } catch (error) {
      this.logger.error({ err: error, merchantId }, 'eligibility index not updated; asking for a rebuild');
      await this.index.askRebuild();
    }
  }
}
