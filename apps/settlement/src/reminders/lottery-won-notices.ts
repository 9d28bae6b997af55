import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { lotteryWonNoticeProblem, SMS_SENDER, SmsSender } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { DECIDE_LOTTERY_WON } from './lottery-won-notices.sql';
import { NoticeJob, NoticeOutcome, NoticesRun, runNoticeJob } from './notice-sends';

/** The kind of notice in resident_notices. */
export const LOTTERY_WON = 'lottery_won';
/** The advisory lock under which the notices are decided (the other keys of the programme are 7_203_614_00x). */
const LOTTERY_WON_LOCK = 7_203_614_007;
/**
 * How long after a draw's publication its winners are still told: a worker down for a weekend
 * still tells them on its return; a winner of an older draw has seen it in the app, or is
 * reminded before the voucher expires.
 */
export const LOTTERY_WON_WINDOW_HOURS = 72;

/**
 * Tells each winner of a published lottery draw, by SMS, that they won and until when the
 * voucher is good (恭喜您在消费券摇号中中签，1张券已发到您的账户，请于12月9日前使用): one message a
 * resident and round, however many workers run it and however often it is retried (decided
 * first in resident_notices, then sent once: sendPendingNotices). Its schedule runs it in the
 * day only, so news of a draw published in the evening waits for the morning. It keeps the
 * reminders' pace (EXPIRY_REMINDER_SENDS_PER_SECOND): one gateway, one budget.
 */
@Injectable()
export class LotteryWonNotices {
  private readonly logger = new Logger(LotteryWonNotices.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
  ) {}

  run(onSent: (outcome: NoticeOutcome) => void = () => undefined): Promise<NoticesRun> {
    const job: NoticeJob = {
      kind: LOTTERY_WON,
      problem: lotteryWonNoticeProblem(this.config),
      lockKey: LOTTERY_WON_LOCK,
      decide: [DECIDE_LOTTERY_WON, [LOTTERY_WON, LOTTERY_WON_WINDOW_HOURS]],
      send: (notice) => this.sms.sendLotteryWon(notice.phone, notice.voucherCount, notice.expiryDate),
    };
    return runNoticeJob(this.db, this.logger, job, {
      sendsPerSecond: this.config.expiryReminderSendsPerSecond,
      pageSize: this.config.expiryReminderChunkNotices,
      onSent,
    });
  }
}
