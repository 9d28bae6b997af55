import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { expiryReminderProblem, SMS_SENDER, SmsSender } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { DECIDE_NOTICES, END_ABANDONED, END_NOTICE, GIVE_BACK_NOTICE, LOCK_REMINDERS, MARK_STALE, NEXT_PENDING, TAKE_NOTICE } from './expiry-reminders.sql';
import { SendPacer } from './send-pacer';
import { sendFailureOf } from './send-failure';

/** The kind of notice in resident_notices. */
export const EXPIRY_REMINDER = 'voucher_expiry';
/** The advisory lock under which the notices are decided (the other keys of the programme are 7_203_614_00x). */
const REMINDER_LOCK = 7_203_614_006;

/** How one notice's send ended, as recorded. */
export type ReminderOutcome = 'sent' | 'failed' | 'unknown';

/** What one call of run() did. */
export interface RemindersRun {
  /** Why nothing was decided or sent (no reminder template, say); absent when it ran. */
  skipped?: string;
  /** Notices this call decided (residents newly due a reminder). */
  decided: number;
  /** Pending notices found stale (their first voucher expired before a send). */
  stale: number;
  /** Notices an earlier run's sender took and never ended (it died): ended now as unknown, not sent again. */
  abandoned: number;
  sent: number;
  failed: number;
  unknown: number;
}

interface PendingNotice {
  id: string;
  phone: string;
  voucherCount: number;
  expiryDate: string;
}

/**
 * The daily expiry reminder: one SMS to each resident holding usable vouchers that expire within
 * EXPIRY_REMINDER_LEAD_HOURS, naming how many and the earliest expiry date (您有2张消费券将于12月9日到期).
 *
 * At most one a resident and expiry date, however many workers run it and however often it is
 * retried: the notice is decided first (resident_notices, whose unique keys Postgres holds),
 * then each is taken by a committed update (pending → sending) before its send, and only a
 * pending one is ever taken. We chose never sending twice over never missing one: a worker that
 * dies between taking a notice and sending it loses that message (the next run, ten minutes on,
 * ends it as unknown: END_ABANDONED), where
 * the other order (send, then record) would send it again on the retry. A send whose outcome is
 * unknown is recorded so and not retried either. A run stopped half-way (a worker killed, the
 * gateway down) leaves the rest pending; the job's retry, or the next day's run, sends them.
 */
@Injectable()
export class ExpiryReminders {
  private readonly logger = new Logger(ExpiryReminders.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
  ) {}

  /** Decides today's notices and sends every pending one; onSent hears of each send as it is recorded. */
  async run(onSent: (outcome: ReminderOutcome) => void = () => undefined): Promise<RemindersRun> {
    const run: RemindersRun = { decided: 0, stale: 0, abandoned: 0, sent: 0, failed: 0, unknown: 0 };
    const problem = expiryReminderProblem(this.config);
    if (problem) {
      // Not an error to retry: the configuration will not change under a retry.
      this.logger.warn(problem);
      return { ...run, skipped: problem };
    }
    run.decided = await this.decide();
    // An UPDATE's answer through TypeORM: [rows, count].
    const [, stale]: [unknown[], number] = await this.db.query(MARK_STALE, [EXPIRY_REMINDER]);
    run.stale = stale;
    const [, abandoned]: [unknown[], number] = await this.db.query(END_ABANDONED, [EXPIRY_REMINDER]);
    run.abandoned = abandoned;
    const pacer = new SendPacer(this.config.expiryReminderSendsPerSecond);
    let after = '0';
    for (;;) {
      const page: PendingNotice[] = await this.db.query(NEXT_PENDING, [EXPIRY_REMINDER, after, this.config.expiryReminderChunkNotices]);
      if (page.length === 0) break;
      for (const notice of page) {
        const outcome = await this.sendOne(notice, pacer);
        if (!outcome) continue;
        run[outcome] += 1;
        onSent(outcome);
      }
      after = page[page.length - 1].id;
    }
    this.logger.log({ ...run }, 'expiry reminders done');
    return run;
  }

  private decide(): Promise<number> {
    return this.db.transaction(async (manager) => {
      await manager.query(LOCK_REMINDERS, [REMINDER_LOCK]);
      const [{ added }]: Array<{ added: number }> = await manager.query(DECIDE_NOTICES, [EXPIRY_REMINDER, this.config.expiryReminderLeadHours]);
      return added;
    });
  }

  /** Takes, sends and records one notice; null when another sender took it first. Throws when the run must stop. */
  private async sendOne(notice: PendingNotice, pacer: SendPacer): Promise<ReminderOutcome | null> {
    // The wait comes first, so that nothing but the send stands between taking a notice and sending it.
    await pacer.wait();
    // An UPDATE's answer through TypeORM: [rows, count].
    const [taken]: [unknown[], number] = await this.db.query(TAKE_NOTICE, [notice.id]);
    if (taken.length === 0) return null;
    try {
      await this.sms.sendExpiryReminder(notice.phone, notice.voucherCount, notice.expiryDate);
    } catch (error) {
      const failure = sendFailureOf(error);
      if (failure === 'give_back') await this.db.query(GIVE_BACK_NOTICE, [notice.id]);
      if (failure === 'give_back' || failure === 'stop') throw error;
      await this.db.query(END_NOTICE, [notice.id, failure]);
      return failure;
    }
    await this.db.query(END_NOTICE, [notice.id, 'sent']);
    return 'sent';
  }
}
