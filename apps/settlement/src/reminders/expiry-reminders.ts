import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { expiryReminderProblem, SMS_SENDER, SmsSender } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { DECIDE_NOTICES } from './expiry-reminders.sql';
import { NoticeOutcome, sendPendingNotices, SendsRun } from './notice-sends';
import { LOCK_NOTICES } from './notices.sql';

/** The kind of notice in resident_notices. */
export const EXPIRY_REMINDER = 'voucher_expiry';
/** The advisory lock under which the notices are decided (the other keys of the programme are 7_203_614_00x). */
const REMINDER_LOCK = 7_203_614_006;

/** What one call of run() did. */
export interface RemindersRun extends SendsRun {
  /** Why nothing was decided or sent (no reminder template, say); absent when it ran. */
  skipped?: string;
  /** Notices this call decided (residents newly due a reminder). */
  decided: number;
}

/**
 * The daily expiry reminder: one SMS to each resident holding usable vouchers that expire within
 * EXPIRY_REMINDER_LEAD_HOURS, naming how many and the earliest expiry date (您有2张消费券将于12月9日到期).
 *
 * At most one a resident and expiry date, however many workers run it and however often it is
 * retried: the notice is decided first (resident_notices, whose unique keys Postgres holds), then
 * sent once (sendPendingNotices). A run stopped half-way (a worker killed, the gateway down)
 * leaves the rest pending; the job's retry, or the next day's run, sends them.
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
  async run(onSent: (outcome: NoticeOutcome) => void = () => undefined): Promise<RemindersRun> {
    const problem = expiryReminderProblem(this.config);
    if (problem) {
      // Not an error to retry: the configuration will not change under a retry.
      this.logger.warn(problem);
      return { skipped: problem, decided: 0, stale: 0, abandoned: 0, sent: 0, failed: 0, unknown: 0 };
    }
    const decided = await this.decide();
    const sends = await sendPendingNotices(this.db, EXPIRY_REMINDER, (notice) => this.sms.sendExpiryReminder(notice.phone, notice.voucherCount, notice.expiryDate), {
      sendsPerSecond: this.config.expiryReminderSendsPerSecond,
      pageSize: this.config.expiryReminderChunkNotices,
      onSent,
    });
    const run = { decided, ...sends };
    this.logger.log({ ...run }, 'expiry reminders done');
    return run;
  }

  private decide(): Promise<number> {
    return this.db.transaction(async (manager) => {
      await manager.query(LOCK_NOTICES, [REMINDER_LOCK]);
      const [{ added }]: Array<{ added: number }> = await manager.query(DECIDE_NOTICES, [EXPIRY_REMINDER, this.config.expiryReminderLeadHours]);
      return added;
    });
  }
}
