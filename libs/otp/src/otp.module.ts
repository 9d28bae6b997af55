import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { OneTimeCodes } from './one-time-codes';
import { OtpAudience } from './otp-policy';
import { OTP_AUDIENCE, OtpStore } from './otp.store';
import { smsSenderFor } from './sms-gateway';
import { SMS_SENDER } from './sms-sender';

/**
 * One-time codes for one audience: `imports: [OtpModule.forAudience('merchant')]`, then inject
 * OneTimeCodes. The SMS gateway is the one SMS_PROVIDER names.
 */
@Module({})
export class OtpModule {
  static forAudience(audience: OtpAudience): DynamicModule {
    return {
      module: OtpModule,
      providers: [
        { provide: OTP_AUDIENCE, useValue: audience },
        { provide: SMS_SENDER, inject: [AppConfig], useFactory: smsSenderFor },
        OtpStore,
        OneTimeCodes,
      ],
      exports: [OneTimeCodes],
    };
  }
}
