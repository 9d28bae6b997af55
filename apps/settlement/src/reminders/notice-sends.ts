import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { END_ABANDONED, END_NOTICE, GIVE_BACK_NOTICE, LOCK_NOTICES, MARK_STALE, NEXT_PENDING, TAKE_NOTICE } from './notices.sql';
import { sendFailureOf } from './send-failure';
import { SendPacer } from './send-pacer';

/** How one notice's send ended, as recorded. */
export type NoticeOutcome = 'sent' | 'failed' | 'unknown';

/** A notice to send, with the resident's number as it is now. */
export interface PendingNotice {
  id: string;
  phone: string;
  voucherCount: number;
  /** The earliest expiry among the vouchers it counts, YYYY-MM-DD in Asia/Shanghai. */
  expiryDate: string;
}

/** What one pass over a kind's pending notices did. */
export interface SendsRun {
  /** Pending notices found stale (their first voucher expired before a send). */
  stale: number;
  /** Notices an earlier run's sender took and never ended (it died): ended now as unknown, not sent again. */
  abandoned: number;
  sent: number;
  failed: number;
  unknown: number;
}

/** What one run of a notice job did: decided, then sent. */
export interface NoticesRun extends SendsRun {
  /** Why nothing was decided or sent (no template, say); absent when it ran. */
  skipped?: string;
  /** Notices this run decided. */
  decided: number;
}

/** One kind of notice: how it is decided, and sent. */
export interface NoticeJob {
  kind: string;
  /** Why none can be sent with this configuration (expiryReminderProblem, ...), or null. */
  problem: string | null;
  /** The advisory lock key its decision runs under, so two workers never decide side by side. */
  lockKey: number;
  /** The deciding statement and its parameters; it answers "added". */
  decide: [sql: string, parameters: unknown[]];
  send: (notice: PendingNotice) => Promise<void>;
}

/**
 * A notice job's run: unless its configuration sends nothing (logged, and not an error to retry:
 * a retry would not change it), decides under its lock, then sends every pending notice of its kind.
 */
export async function runNoticeJob(db: DataSource, logger: Logger, job: NoticeJob, options: NoticeSendsOptions): Promise<NoticesRun> {
  if (job.problem) {
    logger.warn(job.problem);
    return { skipped: job.problem, decided: 0, stale: 0, abandoned: 0, sent: 0, failed: 0, unknown: 0 };
  }
  const decided = await db.transaction(async (manager) => {
    await manager.query(LOCK_NOTICES, [job.lockKey]);
    const [{ added }]: Array<{ added: number }> = await manager.query(...job.decide);
    return added;
  });
  const run = { decided, ...(await sendPendingNotices(db, job.kind, job.send, options)) };
  logger.log({ ...run }, `${job.kind} notices done`);
  return run;
}

export interface NoticeSendsOptions {
  sendsPerSecond: number;
  /** Notices read a page. */
  pageSize: number;
  /** Hears of each send as it is recorded, so a run stopped later still shows what it sent. */
  onSent?: (outcome: NoticeOutcome) => void;
}

/**
 * Sends every pending notice of one kind, once: each is taken by a committed update (pending →
 * sending) before its send, and only a pending one is ever taken, so however many workers run
 * and however often a run is retried, no notice is sent twice. We chose never sending twice over
 * never missing one: a worker that dies between taking a notice and sending it loses that message
 * (a run ten minutes on ends it as unknown: END_ABANDONED), where the other order (send, then
 * record) would send it again on the retry. A send whose outcome is unknown is recorded so and not
 * retried either. A gateway that sent nothing (down) gives the notice back and stops the pass: the
 * job's retry, or the next run, sends the rest.
 */
export async function sendPendingNotices(
  db: DataSource,
  kind: string,
  send: (notice: PendingNotice) => Promise<void>,
  options: NoticeSendsOptions,
): Promise<SendsRun> {
  // An UPDATE's answer through TypeORM: [rows, count].
  const [, stale]: [unknown[], number] = await db.query(MARK_STALE, [kind]);
  const [, abandoned]: [unknown[], number] = await db.query(END_ABANDONED, [kind]);
  const run: SendsRun = { stale, abandoned, sent: 0, failed: 0, unknown: 0 };
  const pacer = new SendPacer(options.sendsPerSecond);
  let after = '0';
  for (;;) {
    const page: PendingNotice[] = await db.query(NEXT_PENDING, [kind, after, options.pageSize]);
    if (page.length === 0) break;
    for (const notice of page) {
      const outcome = await sendOne(db, notice, pacer, send);
      if (!outcome) continue;
      run[outcome] += 1;
      options.onSent?.(outcome);
    }
    after = page[page.length - 1].id;
  }
  return run;
}

/** Takes, sends and records one notice; null when another sender took it first. Throws when the pass must stop. */
async function sendOne(db: DataSource, notice: PendingNotice, pacer: SendPacer, send: (notice: PendingNotice) => Promise<void>): Promise<NoticeOutcome | null> {
  // The wait comes first, so that nothing but the send stands between taking a notice and sending it.
  await pacer.wait();
  const [taken]: [unknown[], number] = await db.query(TAKE_NOTICE, [notice.id]);
  if (taken.length === 0) return null;
  try {
    await send(notice);
  } catch (error) {
    const failure = sendFailureOf(error);
    if (failure === 'give_back') await db.query(GIVE_BACK_NOTICE, [notice.id]);
    if (failure === 'give_back' || failure === 'stop') throw error;
    await db.query(END_NOTICE, [notice.id, failure]);
    return failure;
  }
  await db.query(END_NOTICE, [notice.id, 'sent']);
  return 'sent';
}
