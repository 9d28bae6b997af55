import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { expiryReminderProblem, SMS_SENDER, SmsSender } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { DECIDE_NOTICES } from './expiry-reminders.sql';
import { NoticeJob, NoticeOutcome, NoticesRun, runNoticeJob } from './notice-sends';

/** The kind of notice in resident_notices. */
export const EXPIRY_REMINDER = 'voucher_expiry';
/** The advisory lock under which the notices are decided (the other keys of the programme are 7_203_614_00x). */
const REMINDER_LOCK = 7_203_614_006;

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
  run(onSent: (outcome: NoticeOutcome) => void = () => undefined): Promise<NoticesRun> {
    const job: NoticeJob = {
      kind: EXPIRY_REMINDER,
      problem: expiryReminderProblem(this.config),
      lockKey: REMINDER_LOCK,
      decide: [DECIDE_NOTICES, [EXPIRY_REMINDER, this.config.expiryReminderLeadHours]],
      send: (notice) => this.sms.sendExpiryReminder(notice.phone, notice.voucherCount, notice.expiryDate),
    };
    return runNoticeJob(this.db, this.logger, job, {
      sendsPerSecond: this.config.expiryReminderSendsPerSecond,
      pageSize: this.config.expiryReminderChunkNotices,
      onSent,
    });
  }
}
