import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { withTimeout } from '@vouchers/common';
import { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { ExpiryRun, SettlementBatch } from '@vouchers/database';
import { DataSource, IsNull, Not } from 'typeorm';
import type { ExpiredChunk } from '../expiry/voucher-expiry';
import type { RecountReport } from '../figures/recount.check';
import type { NoticeOutcome } from '../reminders/notice-sends';
import type { LedgerBalanceReport } from '../jobs/ledger-balance.check';
import { SETTLEMENT_QUEUE } from '../jobs/settlement-jobs';

/** The queue states reported as depth; `failed` are jobs out of retries, waiting for the build watchdog or an operator. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
/** A scrape must answer while Redis or Postgres is away: their series are left out instead. */
const SCRAPE_TIMEOUT_MS = 1_000;

/**
 * The settlement worker's Prometheus registry. Queue depth and the last build's duration are
 * read at each scrape (from Redis and Postgres, so every worker reports the same figures);
 * stalled jobs are counted by the worker whose stalled check found them (sum over workers);
 * the ledger's imbalance is what the last ledger check this process ran found, and the
 * figures' mismatches what its last recount found; vouchers expired are counted by the worker
 * whose chunks expired them, as are expiry reminders by the worker that sent them; the latest expiry run's progress is Postgres'.
 */
@Injectable()
export class WorkerMetrics {
  readonly registry = new Registry();

  private readonly stalledJobs = new Counter({
    name: 'settlement_jobs_stalled_total',
    help: 'Jobs whose worker died or hung, found by this worker and moved back to the queue',
    registers: [this.registry],
  });

  private readonly ledgerImbalanceFen = new Gauge({
    name: 'settlement_ledger_imbalance_fen',
    help: 'Sum over ledger postings of |debits - credits| in fen, as the last ledger check of this process found it (0 before the first: see checked_timestamp)',
    registers: [this.registry],
  });

  private readonly ledgerImbalancedPostings = new Gauge({
    name: 'settlement_ledger_imbalanced_postings',
    help: 'Ledger postings whose debits and credits differ, as the last ledger check found them',
    registers: [this.registry],
  });

  private readonly ledgerCheckedAt = new Gauge({
    name: 'settlement_ledger_checked_timestamp_seconds',
    help: 'When this process last ran the ledger check (Unix seconds; 0: not yet)',
    registers: [this.registry],
  });

  private readonly expiredVouchers = new Counter({
    name: 'voucher_expiry_vouchers_total',
    help: 'Vouchers this worker recorded as expired (chunks of expiry runs it committed)',
    registers: [this.registry],
  });

  private readonly expiredFaceValueFen = new Counter({
    name: 'voucher_expiry_face_value_fen_total',
    help: 'Face value in fen of the vouchers this worker recorded as expired',
    registers: [this.registry],
  });

  private readonly reminders = new Counter({
    name: 'voucher_expiry_reminders_total',
    help: 'Expiry reminders (SMS) this worker sent, by outcome: sent, failed (the gateway refused the number), unknown (the gateway did not say; not sent again)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  private readonly lotteryWins = new Counter({
    name: 'lottery_won_notices_total',
    help: 'Lottery win notices (SMS) this worker sent, by outcome: sent, failed (the gateway refused the number), unknown (the gateway did not say; not sent again)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  private readonly figuresMismatches = new Gauge({
    name: 'figures_recount_mismatches',
    help: 'Keys (day, campaign, voucher type, district, category) whose running figures differ from a recount from the raw tables, as the last recount of this process found them',
    registers: [this.registry],
  });

  private readonly figuresCheckedAt = new Gauge({
    name: 'figures_recount_checked_timestamp_seconds',
    help: 'When this process last recounted the figures (Unix seconds; 0: not yet)',
    registers: [this.registry],
  });

  constructor(
    @InjectQueue(SETTLEMENT_QUEUE) queue: Queue,
    @Inject(DataSource) db: DataSource,
  ) {
    this.registry.setDefaultLabels({ app: 'settlement-worker' });
    collectDefaultMetrics({ register: this.registry });

    new Gauge({
      name: 'settlement_queue_jobs',
      help: 'Jobs in the queue by state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES).catch(() => null), SCRAPE_TIMEOUT_MS, null);
        if (!counts) return;
        for (const state of QUEUE_STATES) this.set({ queue: SETTLEMENT_QUEUE, state }, counts[state] ?? 0);
      },
    });

    new Gauge({
      name: 'settlement_last_build_duration_seconds',
      help: "The most recently built batch's build, from opening the batch to its last chunk (absent: none built yet)",
      labelNames: ['business_date'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const last = await withTimeout(
          db.manager
            .findOne(SettlementBatch, {
              select: { id: true, businessDate: true, createdAt: true, builtAt: true },
              where: { builtAt: Not(IsNull()) },
              order: { builtAt: 'DESC' },
            })
            .catch(() => null),
          SCRAPE_TIMEOUT_MS,
          null,
        );
        if (last?.builtAt) this.set({ business_date: last.businessDate }, (last.builtAt.getTime() - last.createdAt.getTime()) / 1000);
      },
    });

    new Gauge({
      name: 'voucher_expiry_last_run',
      help: "The latest expiry run, read from Postgres: chunks, chunks_done, expired (vouchers), expired_fen, finished (1/0), started_timestamp_seconds",
      labelNames: ['figure'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const last = await withTimeout(
          db.manager.findOne(ExpiryRun, { where: {}, order: { id: 'DESC' } }).catch(() => null),
          SCRAPE_TIMEOUT_MS,
          null,
        );
        if (!last) return;
        this.set({ figure: 'chunks' }, last.chunkCount);
        this.set({ figure: 'chunks_done' }, last.chunksDone);
        this.set({ figure: 'expired' }, last.expiredCount);
        this.set({ figure: 'expired_fen' }, last.expiredFen);
        this.set({ figure: 'finished' }, last.finishedAt === null ? 0 : 1);
        this.set({ figure: 'started_timestamp_seconds' }, last.startedAt.getTime() / 1000);
      },
    });
  }

  jobStalled(): void {
    this.stalledJobs.inc();
  }

  ledgerChecked(report: LedgerBalanceReport, at = new Date()): void {
    this.ledgerImbalanceFen.set(report.imbalanceFen);
    this.ledgerImbalancedPostings.set(report.imbalancedPostings);
    this.ledgerCheckedAt.set(at.getTime() / 1000);
  }

  vouchersExpired(chunk: ExpiredChunk): void {
    this.expiredVouchers.inc(chunk.vouchers);
    this.expiredFaceValueFen.inc(chunk.faceValueFen);
  }

  reminderSent(outcome: NoticeOutcome): void {
    this.reminders.inc({ outcome });
  }

  lotteryWonSent(outcome: NoticeOutcome): void {
    this.lotteryWins.inc({ outcome });
  }

  figuresRecounted(report: Pick<RecountReport, 'mismatches'>, at = new Date()): void {
    this.figuresMismatches.set(report.mismatches);
    this.figuresCheckedAt.set(at.getTime() / 1000);
  }
}
