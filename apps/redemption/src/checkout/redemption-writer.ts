import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { GroupCommit, ledgerAccounts, openPgPool } from '@vouchers/database';
import type { Pool } from 'pg';
import { REDEEM_BATCH } from './redeem.sql';
import { RedemptionRow } from './redemption.view';

/** One redemption to attempt, as REDEEM_BATCH takes it. */
export interface RedeemRequest {
  voucherId: string;
  residentId: string;
  merchantId: string;
  cashierId: string;
  /** The token's version of the cashier (0 when it carries none): an older one than their row's is refused. */
  cashierTokenVersion: number;
  orderAmountFen: number;
  merchantOrderNo: string;
  codeDigest: string;
  redemptionId: string;
  approvedByIndex: boolean | null;
  postingId: string;
}

export interface Checks {
  cashier_current: boolean;
  order_no_free: boolean;
  voucher_ok: boolean;
  approved: boolean;
  category_ok: boolean;
  district_ok: boolean;
  threshold_ok: boolean;
}

/** What the statement found for one request: the redemption, or the facts that refused it. */
export interface RedeemOutcome {
  redeemed: RedemptionRow | null;
  checks: Checks | null;
  facts: { status: string; held: boolean } | null;
  /** The cashier's row active at the merchant, and the token's version its own. */
  till: { cashier_active: boolean; cashier_current: boolean } | null;
}

interface Waiting {
  request: RedeemRequest;
  resolve: (outcome: RedeemOutcome) => void;
  reject: (error: unknown) => void;
}

const TILL_CONNECTIONS = 8;
const REDEEM_TIMEOUT_MS = 5_000;
/** The longest a batch of redemptions waits for a connection of the till's pool. */
const TILL_CONNECTION_WAIT_MS = 5_000;
const FLUSH_MS = 2;
const BATCH_MAX = 64;

/**
 * Group commit of redemptions: requests from many tills share one REDEEM_BATCH statement (one
 * round trip, one commit), flushed every few milliseconds or as soon as BATCH_MAX wait. Each
 * request is answered only after the statement committed. If the batch fails (two requests
 * of it for one voucher or one order number, or any other error) its requests run one by one,
 * so each gets its own answer and one bad request never refuses the others. The statement is
 * named (prepared once per connection) and runs on connections of its own.
 */
@Injectable()
export class RedemptionWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RedemptionWriter.name);
  private readonly pool: Pool;
  private readonly commits = new GroupCommit<Waiting>({ flushMs: FLUSH_MS, batchMax: BATCH_MAX, run: (batch) => this.run(batch) });

  constructor(@Inject(AppConfig) config: AppConfig) {
    // Named, so pg_stat_activity tells the till's sessions from TypeORM's.
    const options = { max: TILL_CONNECTIONS, connectionWaitMs: TILL_CONNECTION_WAIT_MS, timeoutMs: REDEEM_TIMEOUT_MS, applicationName: 'till-writer' };
    this.pool = openPgPool(config.databaseUrl, options, (error) => this.logger.warn({ err: error }, 'till connection lost'));
  }

  redeem(request: RedeemRequest): Promise<RedeemOutcome> {
    return new Promise<RedeemOutcome>((resolve, reject) => this.commits.add({ request, resolve, reject }));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.commits.drain();
    await this.pool.end();
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.execute(batch.map((waiting) => waiting.request));
      batch.forEach((waiting, index) => waiting.resolve(outcomes[index]));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // Nothing of the batch was written: each request on its own, for its own answer.
      await Promise.all(batch.map((waiting) => this.run([waiting])));
    }
  }

  private async execute(requests: RedeemRequest[]): Promise<RedeemOutcome[]> {
    const column = <K extends keyof RedeemRequest>(key: K) => requests.map((request) => request[key]);
    const { rows } = await this.pool.query<RedeemOutcome & { i: string }>({
      name: 'redeem-batch-v3',
      text: REDEEM_BATCH,
      values: [
        column('voucherId'),
        column('residentId'),
        column('merchantId'),
        column('cashierId'),
        column('orderAmountFen'),
        column('merchantOrderNo'),
        column('codeDigest'),
        column('redemptionId'),
        column('approvedByIndex'),
        column('postingId'),
        ledgerAccounts.cityBudget,
        ledgerAccounts.districtBudgetPrefix,
        ledgerAccounts.payablePrefix,
        column('cashierTokenVersion'),
      ],
    });
    return rows;
  }
}
