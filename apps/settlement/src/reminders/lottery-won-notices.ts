import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { lotteryWonNoticeProblem, SMS_SENDER, SmsSender } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { DECIDE_LOTTERY_WON } from './lottery-won-notices.sql';
import { NoticeOutcome, sendPendingNotices, SendsRun } from './notice-sends';
import { LOCK_NOTICES } from './notices.sql';

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

/** What one call of run() did. */
export interface LotteryWonRun extends SendsRun {
  /** Why nothing was decided or sent (no template, say); absent when it ran. */
  skipped?: string;
  /** Notices this call decided (winners newly due the news). */
  decided: number;
}

/**
 * Tells each winner of a published lottery draw, by SMS, that they won and until when the
 * voucher is good (恭喜您在消费券摇号中中签，1张券已发到您的账户，请于12月9日前使用): one message a
 * resident and round, however many workers run it and however often it is retried (decided
 * first in resident_notices, then sent once: sendPendingNotices). Its schedule runs it in the
 * day only, so news of a draw published in the evening waits for the morning.
 */
@Injectable()
export class LotteryWonNotices {
  private readonly logger = new Logger(LotteryWonNotices.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
  ) {}

  async run(onSent: (outcome: NoticeOutcome) => void = () => undefined): Promise<LotteryWonRun> {
    const problem = lotteryWonNoticeProblem(this.config);
    if (problem) {
      // Not an error to retry: the configuration will not change under a retry.
      this.logger.warn(problem);
      return { skipped: problem, decided: 0, stale: 0, abandoned: 0, sent: 0, failed: 0, unknown: 0 };
    }
    const decided = await this.db.transaction(async (manager) => {
      await manager.query(LOCK_NOTICES, [LOTTERY_WON_LOCK]);
      const [{ added }]: Array<{ added: number }> = await manager.query(DECIDE_LOTTERY_WON, [LOTTERY_WON, LOTTERY_WON_WINDOW_HOURS]);
      return added;
    });
    const sends = await sendPendingNotices(this.db, LOTTERY_WON, (notice) => this.sms.sendLotteryWon(notice.phone, notice.voucherCount, notice.expiryDate), {
      sendsPerSecond: this.config.expiryReminderSendsPerSecond,
      pageSize: this.config.expiryReminderChunkNotices,
      onSent,
    });
    const run = { decided, ...sends };
    if (decided > 0 || sends.sent + sends.failed + sends.unknown + sends.stale + sends.abandoned > 0) this.logger.log({ ...run }, 'lottery win notices done');
    return run;
  }
}
