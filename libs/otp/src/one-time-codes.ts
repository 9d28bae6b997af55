import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { giveBackRateLimitHit, REDIS, Redis } from '@vouchers/redis';
import { randomInt } from 'node:crypto';
import { OtpErrorCode } from './otp-errors';
import { CODE_PURPOSES, CodePurpose, enforceRateLimit, OTP_POLICY, OtpAudience, retryAfterSeconds } from './otp-policy';
import { OtpSentView } from './otp-sent.view';
import { OTP_AUDIENCE, OtpStore } from './otp.store';
import { maskPhone, requirePhone } from './phone';
import { SMS_SENDER, SmsOutcomeUnknown, SmsSender } from './sms-sender';

export interface SendOtpCommand {
  /** As typed by its owner. */
  phone: string;
  /** The client's address, for the per-address limit. */
  address: string;
}

export interface CheckOtpCommand {
  /** As typed; read the same way as when the code was sent. */
  phone: string;
  code: string;
  address: string;
  /**
   * False keeps a matching code for one more try, for a caller who must still be asked
   * something (which merchant) before signing in. The try is counted either way.
   */
  consume?: boolean;
}

/**
 * Sends and checks the sign-in codes of one audience (OtpModule.forAudience): cool-down,
 * per-number and per-address limits, hashed storage, counted tries. What a good code
 * unlocks (a resident, a staff member) is the caller's business.
 */
@Injectable()
export class OneTimeCodes {
  private readonly purpose: CodePurpose;

  constructor(
    @Inject(OtpStore) private readonly store: OtpStore,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(OTP_AUDIENCE) audience: OtpAudience,
  ) {
    this.purpose = CODE_PURPOSES[audience];
  }

  async send(command: SendOtpCommand): Promise<OtpSentView> {
    const phone = requirePhone(command.phone);
    await enforceRateLimit(
      this.redis,
      this.store.keys.sendsPerAddress(command.address),
      OTP_POLICY.sendsPerAddress,
      OtpErrorCode.OtpAddressLimit,
      'Too many codes were asked for from this network; try again later',
    );
    // The cool-down comes before the hourly count, so impatient double taps do not use it up.
    const waitMs = await this.store.startCooldown(phone);
    if (waitMs > 0) {
      throw new AppError(OtpErrorCode.OtpCooldown, 'A code was just sent to this number; wait before asking again', {
        retryAfterSeconds: retryAfterSeconds(waitMs),
      });
    }
    await enforceRateLimit(
      this.redis,
      this.store.keys.sendsPerPhone(phone),
      OTP_POLICY.sendsPerPhone,
      OtpErrorCode.OtpPhoneLimit,
      'Too many codes were sent to this number; try again later',
    );

    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    await this.store.save(phone, code);
    try {
      await this.sms.sendOtp(phone, code, OTP_POLICY.codeTtlSeconds, this.purpose);
    } catch (error) {
      if (error instanceof SmsOutcomeUnknown) {
        // The message may have gone out: keep its code (it works if the message arrives), the
        // cool-down and the count (it may have cost a message and reached the phone), and say when to ask again.
        throw new AppError(OtpErrorCode.SmsUnavailable, 'The code may not have been sent; if none arrives, ask again after Retry-After', {
          retryAfterSeconds: OTP_POLICY.cooldownSeconds,
        });
      }
      // Nothing was sent: drop the code, lift the cool-down, and give back this send's place in
      // the number's hourly limit, so an SMS outage does not lock the number out for the hour.
      // The address keeps its count: it still bounds the calls one network makes on the gateway.
      await this.store.discard(phone).catch(() => undefined);
      await giveBackRateLimitHit(this.redis, this.store.keys.sendsPerPhone(phone)).catch(() => undefined);
      if (error instanceof AppError) throw error;
      throw new AppError(OtpErrorCode.SmsUnavailable, 'The code could not be sent; try again');
    }
    return {
      sentTo: maskPhone(phone),
      expiresInSeconds: OTP_POLICY.codeTtlSeconds,
      ...(this.config.devOtpEcho ? { devCode: code } : {}),
    };
  }

  /** Checks the code within the per-address limit; answers the number (normalised) it proves, or throws. */
  async verify(command: CheckOtpCommand): Promise<string> {
    const phone = requirePhone(command.phone);
    await enforceRateLimit(
      this.redis,
      this.store.keys.checksPerAddress(command.address),
      OTP_POLICY.checksPerAddress,
      OtpErrorCode.OtpAddressLimit,
      'Too many sign-in attempts from this network; try again later',
    );
    const check = await this.store.check(phone, command.code, command.consume ?? true);
    switch (check.outcome) {
      case 'missing':
        throw new AppError(OtpErrorCode.OtpExpired, 'The code has expired or was never sent; ask for a new one');
      case 'burned':
        throw new AppError(OtpErrorCode.OtpTooManyTries, 'Too many wrong codes; ask for a new one');
      case 'mismatch':
        throw new AppError(OtpErrorCode.OtpInvalid, 'The code is not right', { triesLeft: check.triesLeft });
      case 'match':
        return phone;
    }
  }
}
