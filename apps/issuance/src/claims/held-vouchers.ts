import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { GroupCommit, groupsOf } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { HELD_VOUCHERS } from './resident-vouchers.sql';
import { RoundInfo } from './round-catalog';
import { roundVoucherView, RoundVoucher, VoucherView } from './voucher.view';

interface Asked {
  residentId: string;
  voucherId: string;
  round: RoundInfo;
  resolve: (found: RoundVoucher | null) => void;
  reject: (error: unknown) => void;
}

/** The most vouchers one statement reads, and statements at once (connections of TypeORM's pool). */
const READS_PER_STATEMENT = 200;
const STATEMENTS_AT_ONCE = 4;
/** How often a retry looks again for a voucher its first grab is still writing. */
const LOOK_AGAIN_MS = 25;

/**
 * The voucher a grab's retry is answered with (admission said SAME), read by its own and its
 * owner's public ids, one probe of each index and no joins: the round's fields come from the
 * catalog. Retries asking at once share one statement (HELD_VOUCHERS), batched as the claim
 * writer batches its inserts (GroupCommit): after a sell-out a rush's retries are a tenth of
 * its answers, and one query each was a tenth of the app's CPU under bench:rush.
 */
@Injectable()
export class HeldVouchers implements BeforeApplicationShutdown {
  private readonly reads: GroupCommit<Asked>;

  constructor(@Inject(DataSource) private readonly db: DataSource, @Inject(AppConfig) config: AppConfig) {
    this.reads = new GroupCommit({
      flushMs: config.claimFlushMs,
      batchMax: READS_PER_STATEMENT,
      maxInFlight: STATEMENTS_AT_ONCE,
      run: (batch) => this.readBatch(batch),
    });
  }

  /** The voucher, waiting for it (up to timeoutMs) while another request of the same person still writes it; null when it never came. */
  async waitFor(residentId: string, voucherId: string, round: RoundInfo, timeoutMs: number): Promise<VoucherView | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await new Promise<RoundVoucher | null>((resolve, reject) => this.reads.add({ residentId, voucherId, round, resolve, reject }));
      if (found) return roundVoucherView(round, { ...found, redeemedAt: found.redeemedAt ?? null });
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, LOOK_AGAIN_MS));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.reads.drain();
  }

  private async readBatch(batch: Asked[]): Promise<void> {
    const byCampaign = groupsOf(batch, (asked) => asked.round.internalCampaignId);
    await Promise.all([...byCampaign].map(([campaignId, group]) => this.readGroup(campaignId, group)));
  }

  private async readGroup(campaignId: string, group: Asked[]): Promise<void> {
    try {
      const rows = await this.db.query<RoundVoucher[]>(HELD_VOUCHERS, [
        campaignId,
        group.map((asked) => asked.residentId),
        group.map((asked) => asked.voucherId),
        group.map((asked) => asked.round.internalRoundId),
      ]);
      const found = new Map(rows.map((row) => [row.publicId, row]));
      for (const asked of group) asked.resolve(found.get(asked.voucherId) ?? null);
    } catch (error) {
      for (const asked of group) asked.reject(error);
    }
  }
}
