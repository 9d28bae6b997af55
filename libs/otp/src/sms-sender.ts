import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { OtpErrorCode } from './otp-errors';
import { CodePurpose } from './otp-policy';
import { maskPhone } from './phone';

/**
 * Delivers one-time codes and service notices; chosen by SMS_PROVIDER (sms-gateway.ts). A
 * refused send throws an AppError (what the caller is told); a send whose fate is unknown throws
 * SmsOutcomeUnknown.
 */
export interface SmsSender {
  /** Sends a code in the message of its purpose (a template each). */
  sendOtp(phone: string, code: string, ttlSeconds: number, purpose: CodePurpose): Promise<void>;
  /** "您有{count}张消费券将于{date}到期，请尽快使用"; expiryDate is the Asia/Shanghai date, YYYY-MM-DD. */
  sendExpiryReminder(phone: string, count: number, expiryDate: string): Promise<void>;
  /** "恭喜您在消费券摇号中中签，{count}张券已发到您的账户，请于{date}前使用"; expiryDate as above. */
  sendLotteryWon(phone: string, count: number, expiryDate: string): Promise<void>;
}

export const SMS_SENDER = Symbol('SMS_SENDER');

/** The gateway may have taken the message although the send failed (no answer in time): the code may arrive. */
export class SmsOutcomeUnknown extends Error {
  constructor() {
    super('the SMS gateway did not say whether the message was sent');
    this.name = 'SmsOutcomeUnknown';
  }
}

/**
 * The built-in sender for development and tests: it writes the code to the log. In
 * production it refuses (503) rather than put live sign-in codes into the logs; the apps that
 * send codes do not start in production with it (requireRealSmsSender), so this is the last guard.
 */
@Injectable()
export class LogSmsSender implements SmsSender {
  private readonly logger = new Logger('Sms');
  private readonly production: boolean;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.production = config.nodeEnv === 'production';
  }

  async sendOtp(phone: string, code: string, ttlSeconds: number, purpose: CodePurpose): Promise<void> {
    if (this.production) {
      this.logger.error(`no SMS gateway is bound; the ${purpose} code for ${maskPhone(phone)} was not sent`);
      throw new AppError(OtpErrorCode.SmsUnavailable, 'Codes cannot be sent right now; try again later');
    }
    this.logger.log(`${purpose} code for ${maskPhone(phone)}: ${code} (valid ${ttlSeconds} s)`);
  }

  /** Nothing secret in it, so it is logged in production too; the reminder job sends none in production with this sender (expiryReminderProblem). */
  async sendExpiryReminder(phone: string, count: number, expiryDate: string): Promise<void> {
    this.logger.log(`expiry reminder for ${maskPhone(phone)}: ${count} vouchers, the first expiring ${expiryDate}`);
  }

  /** As the reminder: nothing secret, logged in production too, and never sent with this sender there (lotteryWonNoticeProblem). */
  async sendLotteryWon(phone: string, count: number, expiryDate: string): Promise<void> {
    this.logger.log(`lottery win for ${maskPhone(phone)}: ${count} vouchers won, the first expiring ${expiryDate}`);
  }
}
