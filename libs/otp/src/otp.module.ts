import { DynamicModule, Module, Type } from '@nestjs/common';
import { OneTimeCodes } from './one-time-codes';
import { OtpAudience } from './otp-policy';
import { OTP_AUDIENCE, OtpStore } from './otp.store';
import { LogSmsSender, SMS_SENDER, SmsSender } from './sms-sender';

export interface OtpModuleOptions {
  /** The SMS gateway; LogSmsSender (log only, refuses in production) when not given. */
  smsSender?: Type<SmsSender>;
}

/** One-time codes for one audience: `imports: [OtpModule.forAudience('merchant')]`, then inject OneTimeCodes. */
@Module({})
export class OtpModule {
  static forAudience(audience: OtpAudience, options: OtpModuleOptions = {}): DynamicModule {
    return {
      module: OtpModule,
      providers: [
        { provide: OTP_AUDIENCE, useValue: audience },
        { provide: SMS_SENDER, useClass: options.smsSender ?? LogSmsSender },
        OtpStore,
        OneTimeCodes,
      ],
      exports: [OneTimeCodes],
    };
  }
}
