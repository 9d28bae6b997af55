import { AppError } from '@vouchers/common';
import { OtpErrorCode } from '../otp-errors';

/** What SendSms answers, success or not: HTTP 200 with Code OK, or a Code saying why not (4xx/5xx for errors of the call itself). */
export interface SendSmsAnswer {
  Code?: string;
  Message?: string;
  RequestId?: string;
  BizId?: string;
}

/**
 * The provider's per-number limits (by default 1 code a minute, 5 an hour, 10 a day for one
 * signature) answer isv.BUSINESS_LIMIT_CONTROL with the window in the message ("触发分钟级流控
 * Permits:1"): the caller is told to wait that window. An unknown window is taken as a minute.
 */
const THROTTLE_WINDOWS: ReadonlyArray<[RegExp, number]> = [
  [/天级/, 86_400],
  [/小时级/, 3600],
  [/分钟级/, 60],
];

export function throttleWindowSeconds(message: string | undefined): number {
  return THROTTLE_WINDOWS.find(([pattern]) => pattern.test(message ?? ''))?.[1] ?? 60;
}

/**
 * The answer the caller gets for a refused send. Only two refusals are the caller's to act on:
 * the number's limits at the provider (429, wait) and a number the provider will not send to
 * (400). Everything else (bad keys or signature, no balance, an unapproved signature or
 * template, the provider failing) is the platform's trouble: 503, try again later.
 */
export function refusalOf(answer: SendSmsAnswer): AppError {
  switch (answer.Code) {
    case 'isv.BUSINESS_LIMIT_CONTROL':
      return new AppError(OtpErrorCode.OtpPhoneLimit, 'Too many codes were sent to this number; try again later', {
        retryAfterSeconds: throttleWindowSeconds(answer.Message),
      });
    case 'isv.MOBILE_NUMBER_ILLEGAL':
      return new AppError(OtpErrorCode.InvalidPhone, 'Codes cannot be sent to this number; check it');
    default:
      return new AppError(OtpErrorCode.SmsUnavailable, 'Codes cannot be sent right now; try again later');
  }
}
