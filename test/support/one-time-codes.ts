import { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { OneTimeCodes, OTP_AUDIENCE, OtpAudience } from '@vouchers/otp';

/**
 * The OneTimeCodes of one audience in an app. The issuance app holds two (residents' sign-in
 * codes and their number-change codes), so `app.get(OneTimeCodes)` would name either.
 */
export function oneTimeCodesOf(app: INestApplicationContext, audience: OtpAudience): OneTimeCodes {
  for (const module of app.get(ModulesContainer).values()) {
    if (module.providers.get(OTP_AUDIENCE)?.instance === audience) return module.providers.get(OneTimeCodes)?.instance as OneTimeCodes;
  }
  throw new Error(`the app has no one-time codes of the ${audience} audience`);
}
