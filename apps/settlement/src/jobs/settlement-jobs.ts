/** The settlement queue and every job it carries; the processor must handle each name. */
export const SETTLEMENT_QUEUE = 'settlement';
/** Builds are BullMQ flows: a finish-batch parent whose children are the build-chunk jobs. */
export const SETTLEMENT_FLOW = 'settlement-flow';

export enum SettlementJob {
  /** Re-checks invariant 6: every ledger posting's debits equal its credits. */
  CheckLedgerBalance = 'check-ledger-balance',
  /** Nightly: opens the batch of a business day (default: the day before) and starts its build. */
  SettleDay = 'settle-day',
  /** One chunk of merchants of a batch. */
  BuildChunk = 'build-chunk',
  /** Runs once every chunk is done: totals, and the batch goes to pending_approval. */
  FinishBatch = 'finish-batch',
  /** Expires the vouchers past their validity, or resumes the expiry run left unfinished (VoucherExpiry). */
  ExpireVouchers = 'expire-vouchers',
  /** Daily: one SMS to each resident whose usable vouchers expire soon, at most one a resident and expiry date (ExpiryReminders). */
  RemindExpiringVouchers = 'remind-expiring-vouchers',
  /** Every ten minutes in the day: one SMS to each winner of a lottery draw just published, one a resident and round (LotteryWonNotices). */
  NotifyLotteryWinners = 'notify-lottery-winners',
  /** Daily: the figures' running totals of recent days against a recount from the raw tables. */
  RecountFigures = 'recount-figures',
  /** Nightly: the distinct party counts of the days, weeks and months just closed, stored once (PartyCounts). */
  CloseFigures = 'close-figures',
  /** Daily: the month partitions of redemptions, ledger_entries and audit_log, made ahead of need (MonthPartitions). */
  EnsurePartitions = 'ensure-partitions',
}

export interface CloseFiguresPayload {
  /** YYYY-MM-DD; absent for the scheduled run, which closes the last CLOSE_DAYS days (those closed before are skipped). */
  from?: string;
  to?: string;
}

export interface RecountFiguresPayload {
  /** YYYY-MM-DD; absent for the scheduled run, which recounts the last RECOUNT_DAYS days. */
  from?: string;
  to?: string;
}

export interface SettleDayPayload {
  /** YYYY-MM-DD; absent for the scheduled run, which settles the day before. */
  businessDate?: string;
}

export interface BuildChunkPayload {
  batchId: string;
  businessDate: string;
  chunk: { chunkNo: number; fromMerchantId: string; toMerchantId: string | null };
}

export interface FinishBatchPayload {
  batchId: string;
}
