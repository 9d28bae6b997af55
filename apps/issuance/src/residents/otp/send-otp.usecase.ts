import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { REDIS, Redis } from '@vouchers/redis';
import { randomInt } from 'node:crypto';
import { OtpSentView } from '../dtos/otp-sent.view';
import { maskPhone, requirePhone } from '../phone';
import { ResidentErrorCode } from '../resident-errors';
import { enforceRateLimit, OTP_POLICY, otpKeys, retryAfterSeconds } from './otp-policy';
import { OtpStore } from './otp.store';
import { SMS_SENDER, SmsSender } from './sms-sender';

export interface SendOtpCommand {
  /** As typed by the resident. */
  phone: string;
  /** The client's address, for the per-address limit. */
  address: string;
}

/** Sends a sign-in code, within the cool-down and the per-number and per-address limits. */
@Injectable()
export class SendOtp {
  constructor(
    @Inject(OtpStore) private readonly store: OtpStore,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute(command: SendOtpCommand): Promise<OtpSentView> {
    const phone = requirePhone(command.phone);
    await enforceRateLimit(
      this.redis,
      otpKeys.sendsPerAddress(command.address),
      OTP_POLICY.sendsPerAddress,
      ResidentErrorCode.OtpAddressLimit,
      'Too many codes were asked for from this network; try again later',
    );
    // The cool-down comes before the hourly count, so impatient double taps do not use it up.
    const waitMs = await this.store.startCooldown(phone);
    if (waitMs > 0) {
      throw new AppError(ResidentErrorCode.OtpCooldown, 'A code was just sent to this number; wait before asking again', 429, {
        retryAfterSeconds: retryAfterSeconds(waitMs),
      });
    }
    await enforceRateLimit(
      this.redis,
      otpKeys.sendsPerPhone(phone),
      OTP_POLICY.sendsPerPhone,
      ResidentErrorCode.OtpPhoneLimit,
      'Too many codes were sent to this number; try again later',
    );

    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    await this.store.save(phone, code);
    try {
      await this.sms.sendOtp(phone, code, OTP_POLICY.codeTtlSeconds);
    } catch (error) {
      await this.store.discard(phone);
      if (error instanceof AppError) throw error;
      throw AppError.unavailable(ResidentErrorCode.SmsUnavailable, 'The code could not be sent; try again');
    }
    return {
      sentTo: maskPhone(phone),
      expiresInSeconds: OTP_POLICY.codeTtlSeconds,
      ...(this.config.devOtpEcho ? { devCode: code } : {}),
    };
  }
}
